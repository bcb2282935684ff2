import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from './security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

/** Resolves a URL path inside root, or null when it would escape it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try { decoded = decodeURIComponent(urlPath); } catch { return null; }
  if (decoded.includes('\0')) return null;
  const full = resolve(root, '.' + normalize('/' + decoded));
  return full === resolve(root) || full.startsWith(resolve(root) + sep) ? full : null;
}

/**
 * What the host answers for the UI when the renderer was never built (no renderer/dist, or no
 * index.html in it): one self-contained page that says how to build it. No script, no external
 * asset; the only style is inline, which SECURITY_HEADERS' CSP allows (style-src 'unsafe-inline').
 */
export const RENDERER_NOT_BUILT_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MemoryOS: the app is not built yet</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; background: #fff; }
  code { font: 0.95em ui-monospace, monospace; background: #f3f4f6; padding: 0.1em 0.35em; border-radius: 4px; }
  @media (prefers-color-scheme: dark) { body { color: #e6edf3; background: #0d1117; } code { background: #262c36; } }
</style>
</head>
<body>
<main>
<h1>MemoryOS is running, but its user interface is not built yet</h1>
<p>This host serves the app from <code>renderer/dist</code>, which does not exist yet (or has no <code>index.html</code>).</p>
<p>In the MemoryOS folder, run <code>npm run build:renderer</code> (or <code>npm install</code>, which builds it), then reload this page. If this page is still here, restart the host (<code>npm start</code> or <code>memoryos serve</code>).</p>
<p>The local API keeps working meanwhile; the command line (<code>memoryos call …</code>) does not need it.</p>
</main>
</body>
</html>
`;

function rendererNotBuilt(req: IncomingMessage, res: ServerResponse): true {
  res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : RENDERER_NOT_BUILT_HTML);
  return true;
}

/**
 * Serves the built renderer; unknown paths fall back to index.html (a single-page app). Without a
 * built renderer (root null, missing, or without index.html) every GET/HEAD gets the 503 page above.
 * Only non-/api paths reach this (server.ts answers /api/* itself).
 */
export function serveStatic(root: string | null, urlPath: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (!root || !existsSync(join(root, 'index.html'))) return rendererNotBuilt(req, res);
  let file = resolveInside(root, urlPath === '/' ? '/index.html' : urlPath);
  if (!file) return false;
  if (!existsSync(file) || !statSync(file).isFile()) file = join(root, 'index.html');
  if (!existsSync(file)) return rendererNotBuilt(req, res);
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') { res.end(); return true; }
  createReadStream(file).pipe(res);
  return true;
}
