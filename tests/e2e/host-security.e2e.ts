import { readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { expect, test } from './fixtures';

/** A raw HTTP request with full control of Host and Origin (fetch forbids setting Host). */
function raw(port: number, opts: { path?: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: opts.path ?? '/api/call', method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body ?? JSON.stringify({ method: 'vault.status', params: {} }));
  });
}

function wsOpens(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => { ws.close(); resolve(true); });
    ws.once('error', () => resolve(false));
    ws.once('unexpected-response', () => resolve(false));
  });
}

test.describe('the local host refuses strangers', () => {
  test('HTTP: no token, a wrong token, a foreign Origin or Host are refused; the right ones pass', async ({ host }) => {
    const json = { 'content-type': 'application/json', host: `127.0.0.1:${host.port}` };
    const ok = await raw(host.port, { headers: { ...json, authorization: `Bearer ${host.token}` } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.exists).toBe(false);

    const none = await raw(host.port, { headers: json });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('UNAUTHORIZED');

    const wrong = await raw(host.port, { headers: { ...json, authorization: `Bearer ${host.token.slice(0, -2)}xx` } });
    expect(wrong.status).toBe(401);

    const foreign = await raw(host.port, { headers: { ...json, authorization: `Bearer ${host.token}`, origin: 'http://evil.example' } });
    expect(foreign.status).toBe(401);
    expect(JSON.parse(foreign.body).error.message).toMatch(/Origin/);

    const sameOrigin = await raw(host.port, { headers: { ...json, authorization: `Bearer ${host.token}`, origin: host.origin } });
    expect(sameOrigin.status).toBe(200);

    // DNS rebinding: a foreign name resolving to 127.0.0.1 still carries its own Host header
    const rebound = await raw(host.port, { headers: { ...json, authorization: `Bearer ${host.token}`, host: `evil.example:${host.port}` } });
    expect(rebound.status).toBe(401);
  });

  test('WebSocket: no token, a wrong token or a foreign Origin are refused', async ({ host }) => {
    const url = `ws://127.0.0.1:${host.port}/api/ws`;
    expect(await wsOpens(url, [`memoryos.bearer.${host.token}`], { origin: host.origin })).toBe(true);
    expect(await wsOpens(url, [])).toBe(false);
    expect(await wsOpens(url, ['memoryos.bearer.not-the-token'])).toBe(false);
    expect(await wsOpens(url, [`memoryos.bearer.${host.token}`], { origin: 'http://evil.example' })).toBe(false);
  });

  test('a page of another origin cannot call the API from a browser', async ({ page, host }) => {
    // any page that is not the host's own: its Origin is refused even if it knew the token
    await page.goto('about:blank');
    const status = await page.evaluate(async ({ origin, token }) => {
      try {
        const r = await fetch(`${origin}/api/call`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"method":"vault.status"}' });
        return r.status;
      } catch {
        return 'blocked';
      }
    }, { origin: host.origin, token: host.token });
    expect(status === 'blocked' || status === 401).toBe(true);
  });

  test('listens on 127.0.0.1 only: not on other addresses', async ({ host }) => {
    // the listening socket's local address, from the kernel's table (hex, little-endian IPv4)
    const port = host.port.toString(16).toUpperCase().padStart(4, '0');
    const listen = readFileSync('/proc/net/tcp', 'utf8').split('\n').filter((l) => l.includes(`:${port} `) && / 0A /.test(l));
    expect(listen.length).toBeGreaterThan(0);
    for (const l of listen) expect(l.trim().split(/\s+/)[1]).toBe(`0100007F:${port}`);
    const tcp6 = readFileSync('/proc/net/tcp6', 'utf8').split('\n').filter((l) => l.includes(`:${port} `) && / 0A /.test(l));
    expect(tcp6).toEqual([]);
    // another loopback address reaches a wildcard bind but not a 127.0.0.1 bind (and stays on this machine)
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.2', port: host.port });
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  test('pages carry strict security headers, and the login token is never logged', async ({ page, host }) => {
    const r = await raw(host.port, { path: '/', method: 'GET', headers: { host: `127.0.0.1:${host.port}` }, body: '' });
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('DENY');
    await page.goto(host.loginUrl);
    await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
    expect(page.url()).not.toContain(host.token);
    expect(await page.evaluate(() => document.referrer + location.href)).not.toContain('token');
    // nothing the host wrote in its data directory (logs included) holds the token, except host.lock
    const files: string[] = [];
    const walk = (d: string) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else files.push(p); } };
    walk(host.dataDir);
    for (const f of files.filter((x) => !x.endsWith('host.lock'))) expect(readFileSync(f).includes(host.token), f).toBe(false);
  });
});
