import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openChatStore } from '../src/db/chat-store.js';
import { accountServer, plain, saslClient, seedAccount } from './account-server.js';
import { exchange } from './exchange.js';
import { RawClient, tempDir } from './helpers.js';
import { run, SERVER, spawnServer } from './processes.js';

describe('operator accounts in the server', () => {
  it('makes an oper account an operator when it logs in, with SASL before registration or IDENTIFY after', async () => {
    const { port, store } = await accountServer();
    await seedAccount(store, 'boss', 'bosses-password', true);
    await seedAccount(store, 'worker', 'workers-password');
    const boss = await saslClient(port, 'boss', 'bosses-password');
    // After the welcome burst, as OPER would answer.
    expect(boss.lines.slice(-2)).toEqual([
      ':test.server 381 boss :You are now an IRC operator',
      ':boss!boss@127.0.0.1 MODE boss +o',
    ]);
    const again = await RawClient.register(port, 'again');
    expect(await exchange(again, 'NS IDENTIFY boss bosses-password')).toEqual([
      ':NickServ!NickServ@services. NOTICE again :You are now identified as boss.',
      ':test.server 900 again again!again@127.0.0.1 boss :You are now logged in as boss',
      ':test.server 381 again :You are now an IRC operator',
      ':again!again@127.0.0.1 MODE again +o',
    ]);
    const worker = await RawClient.register(port, 'worker');
    expect(await exchange(worker, 'AUTHENTICATE PLAIN', `AUTHENTICATE ${plain('worker', 'workers-password')}`)).toEqual(
      [
        'AUTHENTICATE +',
        ':test.server 900 worker worker!worker@127.0.0.1 worker :You are now logged in as worker',
        ':test.server 903 worker :SASL authentication successful',
      ],
    );
  });
});

describe('chat-server oper add / remove / list', () => {
  it('marks accounts in the database, and a server on it makes them operators at login', async () => {
    const file = join(tempDir(), 'chat.db');
    const store = openChatStore(file);
    await seedAccount(store, 'Alice', 'alices-password');
    await seedAccount(store, 'bob', 'bobs-password');
    store.close();
    const data = ['--data', file];
    expect(await run(SERVER, ['oper', 'add', 'alice', ...data])).toEqual({
      code: 0,
      stdout: 'Alice is now an operator\n',
      stderr: '',
    });
    expect(await run(SERVER, ['oper', 'add', 'bob', ...data])).toMatchObject({ code: 0 });
    expect(await run(SERVER, ['oper', 'list', ...data])).toEqual({ code: 0, stdout: 'Alice\nbob\n', stderr: '' });
    expect(await run(SERVER, ['oper', 'remove', 'BOB', ...data])).toEqual({
      code: 0,
      stdout: 'bob is no longer an operator\n',
      stderr: '',
    });
    expect(await run(SERVER, ['oper', 'list', ...data])).toEqual({ code: 0, stdout: 'Alice\n', stderr: '' });
    expect(await run(SERVER, ['oper', 'add', 'nobody', ...data])).toEqual({
      code: 3,
      stdout: '',
      stderr: 'chat-server: account "nobody" does not exist\n',
    });

    const server = await spawnServer(['--port', '0', '--require-account-for-nick', ...data]);
    const squatter = await RawClient.connect(server.port!);
    expect(await exchange(squatter, 'NICK alice', 'USER x 0 * :X')).toEqual([
      ':quartet.local 433 * alice :Nickname is reserved by a different account',
    ]);
    const alice = await saslClient(server.port!, 'alice', 'alices-password');
    expect(alice.lines.slice(-2)).toEqual([
      ':quartet.local 381 alice :You are now an IRC operator',
      ':alice!alice@127.0.0.1 MODE alice +o',
    ]);
  });
});
