import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RawClient } from './helpers.js';
import { CLIENT, run, SERVER, selfSignedCert, spawnServer } from './processes.js';

async function tlsClient(port: number, ca: string, nick: string): Promise<RawClient> {
  const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(ca) });
  onTestFinished(() => {
    socket.destroy();
  });
  await once(socket, 'secureConnect');
  const client = new RawClient(socket);
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
  await client.next(/ 422 /);
  return client;
}

/** The built server with a fresh self-signed certificate, its TLS listener on a free port. */
async function tlsServer(...args: string[]) {
  const { cert, key } = selfSignedCert();
  const server = await spawnServer(['--no-persist', '--tls-cert', cert, '--tls-key', key, '--tls-port', '0', ...args]);
  return { cert, server };
}

describe('TLS', () => {
  it('serves TLS beside plain TCP, and chat-client --tls --ca talks over it', async () => {
    const { cert, server } = await tlsServer('--port', '0');
    expect(server.banner).toEqual([
      `chat-server listening on 127.0.0.1:${server.port}`,
      `chat-server listening with TLS on 127.0.0.1:${server.tlsPort}`,
    ]);
    const plain = await RawClient.register(server.port!, 'plain');
    await plain.join('#lobby');
    const secure = await tlsClient(server.tlsPort!, cert, 'secure');
    secure.send('JOIN #lobby', 'PRIVMSG #lobby :over tls');
    await plain.next(':secure!secure@127.0.0.1 PRIVMSG #lobby :over tls');

    const ok = await run(CLIENT, ['--tls', '--ca', cert, '--port', String(server.tlsPort), '--nick', 'bot'], 'hi\n');
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    await plain.next(':bot!bot@127.0.0.1 PRIVMSG #lobby :hi');

    // Without the CA the self-signed certificate is refused; --insecure connects, loudly.
    const refused = await run(CLIENT, ['--tls', '--port', String(server.tlsPort), '--nick', 'bot2'], 'x\n');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toBe(
      `chat-client: 127.0.0.1:${server.tlsPort}: connection failed: DEPTH_ZERO_SELF_SIGNED_CERT\n`,
    );
    const insecure = await run(
      CLIENT,
      ['--tls', '--insecure', '--port', String(server.tlsPort), '--nick', 'bot3'],
      'y\n',
    );
    expect(insecure.code).toBe(0);
    expect(insecure.stderr).toMatch(/^chat-client: WARNING: --insecure: the server certificate is NOT verified\./);
    await plain.next(':bot3!bot3@127.0.0.1 PRIVMSG #lobby :y');
  });

  it('--tls-only drops the plain listener', async () => {
    const { cert, server } = await tlsServer('--tls-only');
    expect(server.banner).toEqual([`chat-server listening with TLS on 127.0.0.1:${server.tlsPort}`]);
    expect(server.port).toBeUndefined();
    await tlsClient(server.tlsPort!, cert, 'only');
  });

  it('refuses incomplete or wrong TLS settings with one line', async () => {
    const { cert, key } = selfSignedCert();
    expect(await run(SERVER, ['--port', '0', '--tls-cert', cert])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'chat-server: --tls-cert and --tls-key go together\n',
    });
    expect((await run(SERVER, ['--port', '0', '--tls-only'])).stderr).toBe(
      'chat-server: --tls-only needs --tls-cert and --tls-key\n',
    );
    expect((await run(SERVER, ['--port', '0', '--tls-cert', key, '--tls-key', key])).stderr).toBe(
      `chat-server: TLS certificate ${key} is not a PEM certificate\n`,
    );
    expect((await run(CLIENT, ['--insecure', '--nick', 'x'])).stderr).toBe(
      'chat-client: --ca and --insecure need --tls\n',
    );
  });
});
