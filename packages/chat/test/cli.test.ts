import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { hasher, RawClient, startServer, tempDir } from './helpers.js';
import { CLIENT, run as runBin, SERVER, spawnServer as spawnBin } from './processes.js';

// The server keeps history by default: in a directory of this file's own, never the user's data dir.
const DATA_DIR = mkdtempSync(join(tmpdir(), 'chat-cli-'));
afterAll(() => rmSync(DATA_DIR, { recursive: true, force: true }));
const ENV = { ...process.env, LOG_LEVEL: 'silent', CHAT_BCRYPT_COST: '4', NO_COLOR: '1', CHAT_DATA_DIR: DATA_DIR };

const run = (bin: string, args: string[], input = '', env: NodeJS.ProcessEnv = ENV) => runBin(bin, args, input, env);

/** The built server bin on a free port, with this file's environment. */
async function spawnServer(args: string[] = [], env: NodeJS.ProcessEnv = ENV) {
  const server = await spawnBin(['--port', '0', ...args], env);
  return { child: server.child, port: server.port!, stderr: server.stderr };
}

describe('chat-server', () => {
  it('prints one listening line, uses the oper file, and on SIGTERM tells everyone and exits 0', async () => {
    const dir = tempDir();
    const operFile = join(dir, 'opers');
    writeFileSync(operFile, `# operators\nroot:${await hasher.hash('s3cret pass')}\n`);
    const motd = join(dir, 'motd');
    writeFileSync(motd, 'Hello there\n');
    const server = await spawnServer(['--oper-file', operFile, '--motd', motd, '--name', 'irc.example'], {
      ...ENV,
      LOG_LEVEL: 'info',
    });
    const alice = await RawClient.register(server.port, 'alice');
    expect(alice.lines).toContain(':irc.example 372 alice :- Hello there');
    alice.send('OPER root :s3cret pass');
    await alice.next(':irc.example 381 alice :You are now an IRC operator');
    const bob = await RawClient.register(server.port, 'bob');
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', resolve));
    server.child.kill('SIGTERM');
    await alice.next('ERROR :Server shutting down');
    await bob.next('ERROR :Server shutting down');
    expect(await exited).toBe(0);
    const events = server
      .stderr()
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { event: string }).event);
    expect(events).toEqual(['listening', 'connect', 'register', 'oper', 'connect', 'register', 'stopped']);
  });

  it('takes shortened timeouts from the environment', async () => {
    const server = await spawnServer([], { ...ENV, CHAT_REGISTRATION_TIMEOUT_MS: '50' });
    const client = await RawClient.connect(server.port);
    await client.next('ERROR :Closing Link: 127.0.0.1 (Registration timed out)');
    await client.closed;
  });

  it('exits with a one-line error for bad flags, a missing oper file and a malformed one', async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'root:not-a-hash\n');
    expect(await run(SERVER, ['--port', 'abc'])).toMatchObject({ code: 2, stdout: '' });
    expect((await run(SERVER, ['--port', '70000'])).stderr).toBe(
      'chat-server: port: must be a whole number from 0 to 65535\n',
    );
    expect(await run(SERVER, ['--oper-file', join(dir, 'nope'), '--port', '0'])).toEqual({
      code: 3,
      stdout: '',
      stderr: `chat-server: oper file ${join(dir, 'nope')} does not exist\n`,
    });
    expect(await run(SERVER, ['--oper-file', bad, '--port', '0'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `chat-server: ${bad}:1: expected name:<bcrypt hash>\n`,
    });
  });

  it('refuses a port that is taken', async () => {
    const { port } = await startServer();
    const result = await run(SERVER, ['--port', String(port)]);
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^chat-server: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/);
  });

  it('passwd prints name:<bcrypt hash> for the password on stdin, at the configured cost', async () => {
    const result = await run(SERVER, ['passwd', 'root'], 'open sesame now\n');
    expect(result.code).toBe(0);
    const match = /^root:(\$2b\$04\$[./A-Za-z0-9]{53})\n$/.exec(result.stdout);
    expect(match, result.stdout + result.stderr).not.toBeNull();
    expect(await hasher.verify('open sesame now', match![1]!)).toBe(true);
    expect(await hasher.verify('open sesame now!', match![1]!)).toBe(false);
    expect(await run(SERVER, ['passwd', 'bad name'], 'x\n')).toMatchObject({ code: 2, stdout: '' });
    expect(await run(SERVER, ['passwd', 'root'], '\n')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'chat-server: password must not be empty\n',
    });
  });

  it.each([
    ['open sesame', 'password must be at least 12 characters'],
    ['qwerty123456', 'password is too common: it appears in lists of breached passwords; choose another'],
    [' '.repeat(12), 'password must not be only whitespace'],
  ])('passwd refuses %j as any quartet login would', async (password, message) => {
    expect(await run(SERVER, ['passwd', 'root'], `${password}\n`)).toEqual({
      code: 2,
      stdout: '',
      stderr: `chat-server: ${message}\n`,
    });
  });

  it('creates its data directory 0700 and chat.db 0600, and tightens a chat.db others can read', async () => {
    const dataDir = join(tempDir(), 'data');
    const file = join(dataDir, 'chat.db');
    const mode = (path: string) => statSync(path).mode & 0o777;
    const oldMask = process.umask(0o022);
    try {
      const first = await spawnServer([], { ...ENV, CHAT_DATA_DIR: dataDir });
      expect(first.stderr()).toBe('');
      expect([mode(dataDir), mode(file)]).toEqual([0o700, 0o600]);
      first.child.kill('SIGTERM');
      await new Promise((resolve) => first.child.once('exit', resolve));
      chmodSync(file, 0o644);
      const second = await spawnServer(['--data', file]);
      expect(second.stderr()).toBe(
        'chat-server: warning: chat.db was open to other users (mode 0644); changed it to 0600\n',
      );
      expect(mode(file)).toBe(0o600);
    } finally {
      process.umask(oldMask);
    }
  });
});

describe('chat-client without a terminal', () => {
  it('joins, sends each line, waits for the server to confirm, then quits', async () => {
    const { port } = await startServer();
    const watcher = await RawClient.register(port, 'watcher');
    await watcher.join('#lobby');
    const lines = Array.from({ length: 8 }, (_, i) => `line ${i}`);
    const result = await run(
      CLIENT,
      ['--port', String(port), '--nick', 'bot'],
      [...lines, '/me is done', ''].join('\n'),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\[\d\d:\d\d\] \* bot has joined #lobby$/m);
    await watcher.next(':bot!bot@127.0.0.1 QUIT :Quit: Leaving');
    const said = watcher.lines.filter((l) => l.startsWith(':bot!'));
    expect(said).toEqual([
      ':bot!bot@127.0.0.1 JOIN #lobby',
      ...lines.map((l) => `:bot!bot@127.0.0.1 PRIVMSG #lobby :${l}`),
      ':bot!bot@127.0.0.1 PRIVMSG #lobby :\x01ACTION is done\x01',
      ':bot!bot@127.0.0.1 QUIT :Quit: Leaving',
    ]);
  });

  it('announces a killed client as a QUIT with a reason', async () => {
    const { port } = await startServer();
    const watcher = await RawClient.register(port, 'watcher');
    await watcher.join('#lobby');
    const child = spawn(process.execPath, [CLIENT, '--port', String(port), '--nick', 'victim'], { env: ENV });
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    await watcher.next(':victim!victim@127.0.0.1 JOIN #lobby');
    child.kill('SIGKILL');
    // The kernel closes the socket: a FIN, or a reset if unread data was waiting.
    await watcher.next(
      /^:victim!victim@127\.0\.0\.1 QUIT :(Remote host closed the connection|Connection reset by peer)$/,
    );
  });

  it('fails with one line when the nick is taken, missing, or the server is not there', async () => {
    const { port } = await startServer();
    await RawClient.register(port, 'taken');
    expect(await run(CLIENT, ['--port', String(port), '--nick', 'Taken'], 'hi\n')).toEqual({
      code: 4,
      stdout: expect.stringContaining('Nickname is already in use') as string,
      stderr: 'chat-client: nickname Taken refused: Nickname is already in use\n',
    });
    expect(await run(CLIENT, ['--port', String(port)], 'hi\n')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'chat-client: --nick is required when stdin is not a terminal\n',
    });
    // Port 1 is privileged and nothing listens there.
    const refused = await run(CLIENT, ['--port', '1', '--nick', 'x'], 'hi\n');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toBe('chat-client: 127.0.0.1:1: connection failed: ECONNREFUSED\n');
  });
});
