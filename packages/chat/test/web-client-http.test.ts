import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createWebClientHandler, WEB_CSP, WEB_DIST } from '../src/server/web-client.js';
import { listenWebSocket } from '../src/server/websocket-listener.js';
import { startServer, tempDir } from './helpers.js';
import { run, SERVER, selfSignedCert, spawnServer } from './processes.js';
import { WsClient } from './websocket-client.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A web-dist of our own, so that bodies and ETags can be checked exactly. */
function fakeBuild(): URL {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1);');
  writeFileSync(join(dir, 'style.css'), 'body{}');
  return pathToFileURL(`${dir}/`);
}

async function webListener(dir = fakeBuild()) {
  const server = await startServer();
  const listener = await listenWebSocket(server.chat, {
    host: '127.0.0.1',
    port: 0,
    origins: { kind: 'same-host' },
    onRequest: createWebClientHandler(dir),
  });
  onTestFinished(() => void listener.close());
  return listener.port;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with the path exactly as given: node:http does not normalise `..` the way fetch would. */
function get(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const etagOf = (text: string) => `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`;

describe('chat-server --web: the web client over HTTP', () => {
  it('serves the three built files with their types, security headers and revalidation', async () => {
    const port = await webListener();
    const cases = [
      ['/', 'text/html; charset=utf-8', '<!doctype html><title>t</title>'],
      ['/index.html', 'text/html; charset=utf-8', '<!doctype html><title>t</title>'],
      ['/app.js', 'text/javascript; charset=utf-8', 'console.log(1);'],
      ['/style.css', 'text/css; charset=utf-8', 'body{}'],
      ['/app.js?v=2', 'text/javascript; charset=utf-8', 'console.log(1);'],
    ] as const;
    for (const [path, type, body] of cases) {
      const reply = await get(port, path);
      expect(reply).toMatchObject({ status: 200, body });
      expect(reply.headers).toMatchObject({
        'content-type': type,
        'content-length': String(body.length),
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
        etag: etagOf(body),
      });
    }
    expect(WEB_CSP).toBe(CSP);
  });

  it('answers a matching If-None-Match with 304 and HEAD with headers only', async () => {
    const port = await webListener();
    const etag = etagOf('<!doctype html><title>t</title>');
    const notModified = await get(port, '/', 'GET', { 'If-None-Match': etag });
    expect(notModified).toMatchObject({ status: 304, body: '' });
    expect(notModified.headers).toMatchObject({ etag, 'content-security-policy': CSP, 'cache-control': 'no-cache' });
    expect((await get(port, '/', 'GET', { 'If-None-Match': '"other"' })).status).toBe(200);
    const head = await get(port, '/style.css', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers).toMatchObject({ 'content-length': '6', 'content-type': 'text/css; charset=utf-8' });
  });

  it('serves only the known files: traversal, encoded dots and unknown paths are 404', async () => {
    const port = await webListener();
    for (const path of [
      '/../',
      '/../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2Fpackage.json',
      '/..%2fapp.js',
      '/./app.js',
      '//app.js',
      '/App.js',
      '/app.js/',
      '/index.htm',
      '/web-dist/app.js',
      '/favicon.ico',
    ]) {
      const reply = await get(port, path);
      expect([path, reply.status, reply.body]).toEqual([path, 404, 'Not Found\n']);
      expect(reply.headers['content-security-policy']).toBe(CSP);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses other methods with 405 and Allow', async () => {
    const port = await webListener();
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await get(port, '/', method);
      expect([method, reply.status, reply.headers['allow'], reply.body]).toEqual([
        method,
        405,
        'GET, HEAD',
        'Method Not Allowed\n',
      ]);
      expect(reply.headers['content-security-policy']).toBe(CSP);
    }
  });

  it('still takes IRC over WebSocket on the same port', async () => {
    const port = await webListener();
    const web = await WsClient.register(`ws://127.0.0.1:${port}`, 'web');
    expect(web.lines).toContain(':test.server 001 web :Welcome to the quartet IRC Network web!web@127.0.0.1');
  });

  it('refuses to start without a build: one line naming the missing file', () => {
    const dir = pathToFileURL(`${tempDir()}/`);
    expect(() => createWebClientHandler(dir)).toThrow(
      `the web client is not built (${new URL('index.html', dir).pathname} is missing): run pnpm build`,
    );
  });
});

describe('chat-server --web (the bin)', () => {
  it('prints where the client is and serves the built bundle', async () => {
    const server = await spawnServer(['--port', '0', '--no-persist', '--ws-port', '0', '--web']);
    expect(server.banner.at(-1)).toBe(`chat-server web client on http://127.0.0.1:${server.wsPort}/`);
    const page = await get(server.wsPort!, '/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(readFileSync(new URL('index.html', WEB_DIST), 'utf8'));
    expect((await get(server.wsPort!, '/app.js')).body).toBe(readFileSync(new URL('app.js', WEB_DIST), 'utf8'));
  });

  it('with TLS: https:// on the wss:// port', async () => {
    const { cert, key } = selfSignedCert();
    const server = await spawnServer([
      ...['--port', '0', '--no-persist', '--tls-cert', cert, '--tls-key', key, '--tls-port', '0'],
      ...['--ws-port', '0', '--web'],
    ]);
    expect(server.banner.at(-1)).toBe(`chat-server web client on https://127.0.0.1:${server.wsPort}/`);
    const reply = await new Promise<{ status: number; csp: unknown }>((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port: server.wsPort, path: '/', ca: readFileSync(cert), servername: 'localhost' },
        (response) => {
          response.resume();
          resolve({ status: response.statusCode!, csp: response.headers['content-security-policy'] });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(reply).toEqual({ status: 200, csp: CSP });
  });

  it('without --web the port answers plain HTTP with 426', async () => {
    const server = await spawnServer(['--port', '0', '--no-persist', '--ws-port', '0']);
    expect(server.banner).toHaveLength(2);
    expect((await get(server.wsPort!, '/')).status).toBe(426);
  });

  it('--web without --ws-port: one line, exit 2', async () => {
    expect(await run(SERVER, ['--port', '0', '--no-persist', '--web'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'chat-server: --web needs --ws-port: the web client is served on the WebSocket port\n',
    });
  });
});
