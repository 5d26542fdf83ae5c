import { describe, expect, it } from 'vitest';
import { RawClient, startServer } from './helpers.js';
import { BASE_ENV, run, SERVER, spawnServer } from './processes.js';

const PASSWORD = 'open sesame 42';

/** Send lines and take every reply up to the connection closing. */
async function untilClosed(client: RawClient, ...lines: string[]): Promise<string[]> {
  client.send(...lines);
  await client.closed;
  return client.lines.filter((line) => !line.includes(' NOTICE * :*** Welcome'));
}

describe('USER', () => {
  it('refuses an empty realname, or missing parameters, with 461, and registers once they are given', async () => {
    const { port } = await startServer();
    const client = await RawClient.connect(port);
    client.send('NICK foo', 'USER username * * :', 'USER username * :Real', 'USER :', 'PING done');
    expect((await client.collectUntil(/ PONG /)).slice(1)).toEqual([
      ':test.server 461 foo USER :Not enough parameters',
      ':test.server 461 foo USER :Not enough parameters',
      ':test.server 461 foo USER :Not enough parameters',
      ':test.server PONG test.server :done',
    ]);
    client.send('USER username * * :Real Name');
    await client.next(':test.server 001 foo :Welcome to the quartet IRC Network foo!username@127.0.0.1');
  });
});

describe('a server with a password', () => {
  it('registers a client that gave the right PASS, wherever PASS came before USER', async () => {
    const { port } = await startServer({ password: PASSWORD });
    const first = await RawClient.connect(port);
    first.send(`PASS :${PASSWORD}`, 'NICK foo', 'USER username * * :Realname');
    await first.next(':test.server 001 foo :Welcome to the quartet IRC Network foo!username@127.0.0.1');
    const second = await RawClient.connect(port);
    second.send('NICK bar', `PASS :${PASSWORD}`, 'USER username * * :Realname');
    await second.next(/^:test\.server 001 bar /);
  });

  it('answers a missing or wrong password with 464 and closes the connection with ERROR', async () => {
    const { port, logs } = await startServer({ password: PASSWORD });
    for (const pass of [[], ['PASS wrong'], [`PASS :${PASSWORD} `]]) {
      const client = await RawClient.connect(port);
      expect(await untilClosed(client, ...pass, 'NICK foo', 'USER username * * :Realname')).toEqual([
        ':test.server 464 foo :Password incorrect',
        'ERROR :Closing Link: 127.0.0.1 (Bad password)',
      ]);
    }
    expect(logs().filter((line) => line['event'] === 'bad_password')).toHaveLength(3);
  });

  it('answers PASS after registration with 462 and PASS without a parameter with 461', async () => {
    const { port } = await startServer({ password: PASSWORD });
    const client = await RawClient.connect(port);
    client.send('PASS', `PASS :${PASSWORD}`, 'NICK foo', 'USER u 0 * :U');
    await client.next(':test.server 461 * PASS :Not enough parameters');
    await client.next(/ 001 foo /);
    client.send(`PASS :${PASSWORD}`);
    await client.next(':test.server 462 foo :You may not reregister');
  });

  it('asks a person on nc for the password before the nickname, and closes on a wrong one', async () => {
    const { port } = await startServer({ password: PASSWORD });
    const wrong = await RawClient.connect(port);
    expect(await wrong.next(/NOTICE/)).toBe(
      ':test.server NOTICE * :*** Welcome. IRC clients register with PASS as usual; on nc or telnet, type the server password and press Enter.',
    );
    wrong.socket.write('guess\n');
    expect(await wrong.next(/Closing Link/)).toMatch(/^\[\d\d:\d\d\] ! Closing Link: 127\.0\.0\.1 \(Bad password\)$/);
    await wrong.closed;

    const right = await RawClient.connect(port);
    right.socket.write(`${PASSWORD}\n`);
    await right.next('Password accepted. Type a nickname and press Enter:');
    right.socket.write('bob\n');
    await right.next(/Welcome to the quartet IRC Network bob!bob@127\.0\.0\.1$/);
  });

  it('is taken from --password, or else from CHAT_SERVER_PASSWORD', async () => {
    for (const [args, env] of [
      [['--password', PASSWORD], BASE_ENV],
      [[], { ...BASE_ENV, CHAT_SERVER_PASSWORD: PASSWORD }],
      [['--password', PASSWORD], { ...BASE_ENV, CHAT_SERVER_PASSWORD: 'not this one' }],
    ] as const) {
      const server = await spawnServer(['--port', '0', '--no-persist', ...args], env);
      const good = await RawClient.connect(server.port!);
      good.send(`PASS :${PASSWORD}`, 'NICK good', 'USER good 0 * :Good');
      await good.next(/ 001 good /);
      const bad = await RawClient.connect(server.port!);
      bad.send('NICK bad', 'USER bad 0 * :Bad');
      await bad.next(/ 464 bad :Password incorrect$/);
      await bad.closed;
    }
    expect(await run(SERVER, ['--password', '', '--port', '0', '--no-persist'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'chat-server: password: must not be empty\n',
    });
  });
});

describe('the first line', () => {
  it('is an IRC command, never a plain-mode nickname, when it is a command with parameters or in capitals', async () => {
    const { port } = await startServer();
    const pinger = await RawClient.connect(port);
    pinger.send('PING x');
    await pinger.next(':test.server PONG test.server :x');
    pinger.send('NICK pinger', 'USER p 0 * :P');
    await pinger.next(/ 001 pinger /);

    const quitter = await RawClient.connect(port);
    expect(await untilClosed(quitter, 'QUIT :not today')).toEqual(['ERROR :Closing Link: 127.0.0.1 (Quit: not today)']);

    const asker = await RawClient.connect(port);
    asker.send('LUSERS');
    await asker.next(':test.server 451 * :You have not registered');

    const tagged = await RawClient.connect(port);
    tagged.send('@label=1 PING y');
    await tagged.next(':test.server PONG test.server :y');
  });

  it('is a nickname when it is one word that is not a command in capitals', async () => {
    const { port } = await startServer();
    const person = await RawClient.connect(port);
    person.socket.write('quit\n');
    await person.next(/Welcome to the quartet IRC Network quit!quit@127\.0\.0\.1$/);
  });
});
