import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundError } from '@quartet/core/errors';
import type { HttpHandler } from './websocket-listener.js';

/**
 * The web client's Content-Security-Policy: only the bundle's own script and stylesheet run, nothing inline, and the
 * page may talk to its own origin only. CSP3 counts ws:/wss: to the page's own host:port as 'self' (Chromium does).
 */
export const WEB_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The URL paths served and the built file behind each: a fixed map, so that no request path ever reaches the file
 * system (`/../`, `%2e%2e` and anything unknown are simply not in it).
 */
const FILES: ReadonlyMap<string, { readonly file: string; readonly type: string }> = new Map([
  ['/', { file: 'index.html', type: 'text/html; charset=utf-8' }],
  ['/index.html', { file: 'index.html', type: 'text/html; charset=utf-8' }],
  ['/app.js', { file: 'app.js', type: 'text/javascript; charset=utf-8' }],
  ['/style.css', { file: 'style.css', type: 'text/css; charset=utf-8' }],
]);

/** packages/chat/web-dist/, written by scripts/build-web.mjs; this module runs from dist/server/. */
export const WEB_DIST = new URL('../../web-dist/', import.meta.url);

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** Read the built client once, at start: a missing build is a startup error, not a 500 per request. */
export function createWebClientHandler(dir: URL = WEB_DIST): HttpHandler {
  const assets = new Map<string, Asset>();
  for (const [path, { file, type }] of FILES) {
    const body = readBuilt(new URL(file, dir));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(path, { body, type, etag });
  }
  return (request, response) => serveAsset(assets, request, response);
}

function serveAsset(assets: ReadonlyMap<string, Asset>, request: IncomingMessage, response: ServerResponse): void {
  const headers = {
    'Content-Security-Policy': WEB_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(response, 405, { ...headers, Allow: 'GET, HEAD' }, 'Method Not Allowed\n');
  }
  // The query string is not part of what is asked for (a cache-buster, say); the path must match exactly.
  const path = (request.url ?? '').split('?', 1)[0] ?? '';
  const asset = assets.get(path);
  if (!asset) return plain(response, 404, headers, 'Not Found\n');
  // The file names carry no hash, so every load revalidates: a rebuilt client is picked up at once.
  const cache = { ...headers, ETag: asset.etag, 'Cache-Control': 'no-cache' };
  if (request.headers['if-none-match'] === asset.etag) {
    response.writeHead(304, cache);
    return void response.end();
  }
  response.writeHead(200, { ...cache, 'Content-Type': asset.type, 'Content-Length': asset.body.length });
  response.end(request.method === 'HEAD' ? undefined : asset.body);
}

function plain(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(body);
}

function readBuilt(url: URL): Buffer {
  try {
    return readFileSync(url);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new NotFoundError(`the web client is not built (${url.pathname} is missing): run pnpm build`);
    }
    throw error;
  }
}
