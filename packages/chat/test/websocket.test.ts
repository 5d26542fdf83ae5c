import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OriginPolicy } from '../src/server/origin.js';
import { listenWebSocket } from '../src/server/websocket-listener.js';
import { exchange, received } from './exchange.js';
import { RawClient, startServer } from './helpers.js';
import { run, SERVER, selfSignedCert, spawnServer } from './processes.js';
import { handshake, WsClient } from './websocket-client.js';

/** An in-process server with its TCP listener and a WebSocket listener on free ports. */
async function wsServer(options: Parameters<typeof startServer>[0] & { origins?: OriginPolicy } = {}) {
  const server = await startServer(options);
  const listener = await listenWebSocket(server.chat, {
    host: '127.0.0.1',
    port: 0,
    origins: options.origins ?? { kind: 'same-host' },
  });
  // Not awaited: it ends once the chat server's shutdown has closed the WebSocket clients.
  onTestFinished(() => void listener.close());
  return { ...server, wsPort: listener.port, url: `ws://127.0.0.1:${listener.port}` };
}

const TOO_MANY = 'ERROR :Closing Link: 127.0.0.1 (Too many connections from your IP)';

describe('IRC over WebSocket', () => {
  it('text.ircv3.net: one line per text message, no CR LF, talking with a TCP client', async () => {
    const server = await wsServer();
    const tcp = await RawClient.register(server.port, 'tcp');
    await tcp.join('#room');
    const web = await WsClient.register(server.url, 'web');
    expect(web.ws.protocol).toBe('text.ircv3.net');
    expect(web.lines[0]).toBe(
      ':test.server NOTICE * :*** Welcome. IRC clients register as usual; on nc or telnet, type a nickname and press Enter.',
    );
    expect(web.lines).toContain(':test.server 001 web :Welcome to the quartet IRC Network web!web@127.0.0.1');
    await web.join('#room');
    await tcp.next(':web!web@127.0.0.1 JOIN #room');

    web.send('PRIVMSG #room :hello from the browser');
    await tcp.next(':web!web@127.0.0.1 PRIVMSG #room :hello from the browser');
    tcp.send('PRIVMSG #room :hello from TCP');
    await web.next(':tcp!tcp@127.0.0.1 PRIVMSG #room :hello from TCP');

    for (const frame of web.frames) {
      expect(frame.binary).toBe(false);
      expect(frame.data.includes('\r')).toBe(false);
      expect(frame.data.includes('\n')).toBe(false);
    }
    expect(web.frames.length).toBe(web.lines.length);
  });

  it('binary.ircv3.net: binary frames; bytes that are not UTF-8 are treated exactly as on TCP', async () => {
    const server = await wsServer();
    const tcp = await RawClient.register(server.port, 'tcp');
    await tcp.join('#room');
    const web = await WsClient.register(server.url, 'bin', ['binary.ircv3.net']);
    expect(web.ws.protocol).toBe('binary.ircv3.net');
    await web.join('#room');
    expect(web.frames.every((frame) => frame.binary)).toBe(true);

    // Latin-1 "café": the server keeps text as UTF-8, and replaces what is not, the same for both transports.
    const latin1 = Buffer.from('PRIVMSG #room :caf\xe9', 'latin1');
    web.sendRaw(latin1);
    const fromWeb = await tcp.next(/PRIVMSG #room :caf/);
    const peer = await RawClient.register(server.port, 'peer');
    await peer.join('#room');
    peer.socket.write(Buffer.concat([latin1, Buffer.from('\r\n')]));
    const fromTcp = await tcp.next(/^:peer.*PRIVMSG #room :caf/);
    expect(fromWeb).toBe(':bin!bin@127.0.0.1 PRIVMSG #room :caf\uFFFD');
    expect(fromTcp).toBe(':peer!peer@127.0.0.1 PRIVMSG #room :caf\uFFFD');
    await web.next(':peer!peer@127.0.0.1 PRIVMSG #room :caf\uFFFD');
    expect(web.frames.at(-1)!.data).toEqual(Buffer.from(':peer!peer@127.0.0.1 PRIVMSG #room :caf\uFFFD'));
  });

  it('a text frame that is not UTF-8 fails the connection (1007); nothing of it reaches anyone', async () => {
    const server = await wsServer();
    const tcp = await RawClient.register(server.port, 'tcp');
    await tcp.join('#room');
    const web = await WsClient.register(server.url, 'web');
    await web.join('#room');
    web.sendRaw(Buffer.from('PRIVMSG #room :caf\xe9', 'latin1'), false);
    await web.closed;
    expect(web.closeCode).toBe(1007);
    await tcp.next(/^:web!web@127\.0\.0\.1 QUIT :/);
    expect(tcp.lines.filter((line) => line.startsWith(':web!'))).toEqual([
      ':web!web@127.0.0.1 JOIN #room',
      ':web!web@127.0.0.1 QUIT :Read error: Invalid WebSocket frame: invalid UTF-8 sequence',
    ]);
  });

  it("picks the client's most preferred subprotocol; with none it goes on without the header, in text", async () => {
    const { wsPort, url } = await wsServer();
    const offer = async (protocols: string | undefined) =>
      handshake(wsPort, protocols === undefined ? {} : { 'Sec-WebSocket-Protocol': protocols });
    expect((await offer('binary.ircv3.net, text.ircv3.net')).headers['sec-websocket-protocol']).toBe(
      'binary.ircv3.net',
    );
    expect((await offer('text.ircv3.net, binary.ircv3.net')).headers['sec-websocket-protocol']).toBe('text.ircv3.net');
    expect((await offer('chat, binary.ircv3.net')).headers['sec-websocket-protocol']).toBe('binary.ircv3.net');
    for (const protocols of [undefined, 'chat']) {
      const answer = await offer(protocols);
      expect(answer.status).toBe(101);
      expect(answer.headers['sec-websocket-protocol']).toBeUndefined();
    }
    // A legacy client without a subprotocol is served text frames.
    const legacy = await WsClient.register(url, 'legacy', []);
    expect(legacy.ws.protocol).toBe('');
    expect(legacy.frames.every((frame) => !frame.binary)).toBe(true);
  });

  it('checks Origin before the upgrade: same host by default, a list, or any', async () => {
    const server = await wsServer();
    const count = () => server.chat.registry.connections.size;
    const tcp = await RawClient.register(server.port, 'tcp');
    const before = count();
    const foreign = await handshake(server.wsPort, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    await expect(WsClient.open(server.url, undefined, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    // The Host must match the Origin's host:port, not merely its host name.
    expect((await handshake(server.wsPort, { Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await handshake(server.wsPort, { Origin: 'null' })).status).toBe(403);
    tcp.send('LUSERS');
    expect(await tcp.next(/ 251 /)).toBe(':test.server 251 tcp :There are 1 users and 0 invisible on 1 servers');
    expect(count()).toBe(before);

    await WsClient.register(server.url, 'same', undefined, { origin: `http://127.0.0.1:${server.wsPort}` });
    await WsClient.register(server.url, 'cli');
    expect(count()).toBe(before + 2);

    const listed = await wsServer({
      origins: { kind: 'list', origins: new Set(['https://a.example', 'https://b.example']) },
    });
    for (const origin of ['https://a.example', 'https://b.example'])
      expect((await handshake(listed.wsPort, { Origin: origin })).status).toBe(101);
    for (const origin of ['https://c.example', 'http://a.example', `http://127.0.0.1:${listed.wsPort}`])
      expect((await handshake(listed.wsPort, { Origin: origin })).status).toBe(403);

    const open = await wsServer({ origins: { kind: 'any' } });
    expect((await handshake(open.wsPort, { Origin: 'https://anything.example' })).status).toBe(101);
  });

  it('a message with CR or LF inside is dropped whole; a trailing CR LF is tolerated', async () => {
    const server = await wsServer();
    const tcp = await RawClient.register(server.port, 'tcp');
    await tcp.join('#room');
    const web = await WsClient.register(server.url, 'web');
    await web.join('#room');
    await tcp.next(/ JOIN #room$/);
    web.send('PRIVMSG #room :one\r\nPRIVMSG #room :two', 'PRIVMSG #room :three\nQUIT', 'PRIVMSG #room :a\rb');
    web.send('PRIVMSG #room :four\r\n', 'PRIVMSG #room :five');
    await tcp.next(':web!web@127.0.0.1 PRIVMSG #room :five');
    expect(tcp.lines.filter((line) => line.includes(' PRIVMSG '))).toEqual([
      ':web!web@127.0.0.1 PRIVMSG #room :four',
      ':web!web@127.0.0.1 PRIVMSG #room :five',
    ]);
  });

  it('the same limits as TCP: connections per address and the line length', async () => {
    const server = await wsServer({ limits: { maxPerIp: 2 } });
    await WsClient.open(server.url);
    const web = await WsClient.register(server.url, 'web');
    const third = await WsClient.open(server.url);
    await third.closed;
    expect(third.lines).toEqual([TOO_MANY]);
    const tcp = await RawClient.connect(server.port);
    await tcp.closed;
    expect(tcp.lines).toEqual([TOO_MANY]);

    // 510 bytes is the most a line may hold without its CR LF, on either transport.
    const fits = `PRIVMSG web :${'x'.repeat(510 - 'PRIVMSG web :'.length)}`;
    const answers = await exchange(web, fits, `${fits}y`);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^:web!web@127\.0\.0\.1 PRIVMSG web :x+$/);
    expect(answers[1]).toBe(':test.server 417 web :Input line was too long');
  });

  it('a WebSocket reader that does not read is dropped when its send queue fills, like a TCP one', async () => {
    const server = await wsServer({
      limits: { sendQueueBytes: 64 * 1024, floodBurst: 1e6, floodPerSecond: 1e6, floodQueueMax: 1e6 },
    });
    const tcp = await RawClient.register(server.port, 'tcp');
    await tcp.join('#room');
    const slow = await WsClient.register(server.url, 'slow');
    await slow.join('#room');
    // Stop reading: the server's writes pile up in the kernel, then in the stream, then in the send queue.
    slow.ws.pause();
    const line = `PRIVMSG #room :${'z'.repeat(400)}`;
    for (let i = 0; i < 100 && !tcp.lines.some((l) => l.includes('QUIT :SendQ exceeded')); i++) {
      tcp.send(...Array.from({ length: 500 }, () => line));
      await received(tcp);
    }
    expect(tcp.lines).toContain(':slow!slow@127.0.0.1 QUIT :SendQ exceeded');
  });

  it('answers plain HTTP with 426 Upgrade Required', async () => {
    const { wsPort } = await wsServer();
    const response = await fetch(`http://127.0.0.1:${wsPort}/`);
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    expect((await handshake(wsPort, { Upgrade: 'h2c' })).status).toBe(426);
  });
});

describe('chat-server --ws-port', () => {
  it('serves wss:// with the TLS certificate, next to TCP', async () => {
    const { cert, key } = selfSignedCert();
    const server = await spawnServer([
      '--no-persist',
      '--port',
      '0',
      ...['--tls-cert', cert, '--tls-key', key, '--tls-port', '0', '--ws-port', '0'],
    ]);
    expect(server.banner).toContain(`chat-server listening for WebSocket on wss://127.0.0.1:${server.wsPort}`);
    const tcp = await RawClient.register(server.port!, 'tcp');
    await tcp.join('#lobby');
    const web = await WsClient.register(`wss://127.0.0.1:${server.wsPort}`, 'secure', undefined, {
      ca: readFileSync(cert),
    });
    web.send('JOIN #lobby', 'PRIVMSG #lobby :over wss');
    await tcp.next(':secure!secure@127.0.0.1 PRIVMSG #lobby :over wss');
  });

  it('takes --ws-origins and --ws-host, and refuses bad values with one line', async () => {
    const server = await spawnServer([
      '--no-persist',
      '--port',
      '0',
      ...['--ws-port', '0', '--ws-host', '127.0.0.1', '--ws-origins', 'https://a.example,https://b.example'],
    ]);
    expect(server.banner).toContain(`chat-server listening for WebSocket on ws://127.0.0.1:${server.wsPort}`);
    expect((await handshake(server.wsPort!, { Origin: 'https://b.example' })).status).toBe(101);
    expect((await handshake(server.wsPort!, { Origin: 'https://c.example' })).status).toBe(403);

    expect(await run(SERVER, ['--port', '0', '--ws-port', '70000'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'chat-server: wsPort: must be a whole number from 0 to 65535\n',
    });
    expect(await run(SERVER, ['--port', '0', '--ws-port', '0', '--ws-origins', 'https://a.example/path'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'chat-server: wsOrigins: "https://a.example/path" is not an origin such as https://chat.example.org (scheme, host and port only)\n',
    });
    expect((await run(SERVER, ['--port', '0', '--ws-origins', '*'])).stderr).toBe(
      'chat-server: --ws-host and --ws-origins need --ws-port\n',
    );
  });
});
