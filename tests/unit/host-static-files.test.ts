import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_NOT_BUILT_HTML, serveStatic } from '../../core/host/static-files';
import { SECURITY_HEADERS } from '../../core/host/security';

/** a server that, like core/host/server.ts, answers 404 when serveStatic declines */
function serving(root: string | null): Promise<Server> {
  const server = createServer((req, res) => {
    if (!serveStatic(root, new URL(req.url ?? '/', 'http://127.0.0.1').pathname, req, res)) res.writeHead(404).end('declined');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function get(server: Server, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('host static files: a renderer that is not built', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'mos-static-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const roots = (): [string, string | null][] => [
    ['no directory given (serve found no renderer/dist)', null],
    ['a directory that does not exist', join(dir, 'missing')],
    ['a directory without index.html', (mkdirSync(join(dir, 'empty', 'assets'), { recursive: true }), join(dir, 'empty'))],
  ];

  it('answers / and other paths with a 503 page that says how to build it, with the security headers', async () => {
    for (const [label, root] of roots()) {
      const server = await serving(root);
      try {
        for (const path of ['/', '/memories/123', '/assets/index.js']) {
          const r = await get(server, path);
          expect(r.status, `${label} ${path}`).toBe(503);
          expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
          expect(r.headers['cache-control']).toBe('no-store');
          for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(r.headers[name.toLowerCase()], name).toBe(value);
          expect(r.body).toBe(RENDERER_NOT_BUILT_HTML);
        }
        const head = await get(server, '/', 'HEAD');
        expect([head.status, head.body]).toEqual([503, '']);
        // other methods are not the UI's business: the caller answers them (404)
        expect((await get(server, '/', 'POST')).status).toBe(404);
      } finally {
        server.close();
      }
    }
  });

  it('is self-contained: no script, no external asset, and it names the command', () => {
    const page = RENDERER_NOT_BUILT_HTML;
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|\bsrc=|<link|@import|url\(|https?:\/\//i);
    expect(page).toContain('npm run build:renderer');
    expect(page).toContain('npm install');
  });

  it('serves the built renderer once index.html is there', async () => {
    const root = join(dir, 'built');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
    writeFileSync(join(root, 'assets', 'app.js'), 'export {};');
    const server = await serving(root);
    try {
      const index = await get(server, '/');
      expect([index.status, index.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
      expect(index.body).toContain('./assets/app.js');
      const asset = await get(server, '/assets/app.js');
      expect([asset.status, asset.headers['content-type'], asset.body]).toEqual([200, 'text/javascript; charset=utf-8', 'export {};']);
      expect((await get(server, '/some/route')).body).toBe(index.body);
    } finally {
      server.close();
    }
  });
});
