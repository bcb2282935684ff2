import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, serve, type ServeHandle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function raw(port: number, headers: Record<string, string>, body = '{"method":"vault.status","params":{}}', host = '127.0.0.1'): Promise<{ status: number; headers: Record<string, unknown>; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/api/call', method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local host', () => {
  const { dir, cleanup } = tempDir();
  let host: ServeHandle;
  beforeAll(async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    host = await serve(dir);
  });
  afterAll(async () => { await host?.stop(); cleanup(); });

  it('answers a call with the right token, with strict headers', async () => {
    const r = await raw(host.port, { Authorization: `Bearer ${host.token}` });
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ exists: true, unlocked: true });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('refuses no token, a wrong token, a foreign Origin and a foreign Host', async () => {
    expect((await raw(host.port, {})).status).toBe(401);
    expect((await raw(host.port, { Authorization: 'Bearer nope' })).json.error.code).toBe('UNAUTHORIZED');
    expect((await raw(host.port, { Authorization: `Bearer ${host.token}`, Origin: 'https://evil.example' })).status).toBe(401);
    expect((await raw(host.port, { Authorization: `Bearer ${host.token}`, Host: `evil.example:${host.port}` })).status).toBe(401);
  });

  it('answers bad frames with structured errors and stays up', async () => {
    const auth = { Authorization: `Bearer ${host.token}` };
    expect((await raw(host.port, auth, 'not json')).json.error.code).toBe('INVALID_INPUT');
    expect((await raw(host.port, auth, '{"method":"memory.create","params":{"nope":1}}')).status).toBe(400);
    expect((await raw(host.port, auth, '{"method":"nope.nope"}')).json.error.code).toBe('UNKNOWN_METHOD');
    expect((await raw(host.port, auth)).status).toBe(200);
  });

  it('listens on loopback only', async () => {
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4').map((a) => a!.address);
    for (const address of others) {
      await expect(raw(host.port, { Authorization: `Bearer ${host.token}` }, undefined, address)).rejects.toThrow(/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH/);
    }
  });

  it('refuses a second host on the same data directory', () => {
    const second = cli(dir, ['serve', '--port', '0']);
    expect(second.code).toBe(2);
    expect(second.json.error.code).toBe('BUSY');
  });

  it('carries calls and live events over a WebSocket, only with the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws`, ['memoryos.bearer.wrong']);
    await new Promise<void>((resolve) => { refused.on('error', () => resolve()); refused.on('unexpected-response', () => resolve()); });

    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws`, [`memoryos.bearer.${host.token}`]);
    await new Promise((r) => ws.once('open', r));
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    const waitFor = async (pred: (m: any) => boolean) => {
      for (let i = 0; i < 100; i++) { const m = messages.find(pred); if (m) return m; await new Promise((r) => setTimeout(r, 50)); }
      throw new Error('no such message: ' + JSON.stringify(messages));
    };
    ws.send(JSON.stringify({ id: 1, subscribe: 'HIPPO_ENCODE' }));
    await waitFor((m) => m.id === 1);
    ws.send(JSON.stringify({ id: 2, method: 'memory.create', params: { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'over the socket' } }));
    const created = await waitFor((m) => m.id === 2);
    const event = await waitFor((m) => m.event);
    expect(event.event.payload.memory_id).toBe(created.result.memory.memory_id);
    expect(JSON.stringify(event)).not.toContain('over the socket'); // events carry ids, not content
    ws.send('garbage');
    expect((await waitFor((m) => m.error)).error.code).toBe('INVALID_INPUT');
    ws.close();
  });
});
