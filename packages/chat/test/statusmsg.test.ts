import { describe, expect, it } from 'vitest';
import { openMemoryStore } from '../src/db/memory-store.js';
import { exchange, received } from './exchange.js';
import { joinedClients, RawClient, startServer } from './helpers.js';

describe('STATUSMSG (@#chan, +#chan)', () => {
  it('reaches operators only with @, voiced members and operators with +, and is never replayed as history', async () => {
    const { port } = await startServer({ store: openMemoryStore(50), history: { limit: 50, retentionMs: 60_000 } });
    const [op, voiced, plain] = await joinedClients(port, '#c', 'op', 'voiced', 'plain');
    await exchange(op, 'MODE #c +v voiced');
    await received(voiced);
    await received(plain);
    expect(await exchange(plain, 'PRIVMSG @#c :for ops', 'NOTICE +#c :for voices')).toEqual([]);
    expect(await received(op)).toEqual([
      ':plain!plain@127.0.0.1 PRIVMSG @#c :for ops',
      ':plain!plain@127.0.0.1 NOTICE +#c :for voices',
    ]);
    expect(await received(voiced)).toEqual([':plain!plain@127.0.0.1 NOTICE +#c :for voices']);
    expect(await exchange(op, 'PRIVMSG +#c :voices and ops')).toEqual([]);
    expect(await received(plain)).toEqual([]);
    const late = await RawClient.register(port, 'late');
    const burst = await exchange(late, 'JOIN #c');
    expect(burst.filter((line) => line.includes('for ') || line.includes('voices'))).toEqual([]);
  });

  it('follows the channel rules: 404 from outside a +n channel, 403 for no such channel', async () => {
    const { port } = await startServer();
    await joinedClients(port, '#c', 'op');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(eve, 'PRIVMSG @#c :hi', 'PRIVMSG +#none :hi')).toEqual([
      ':test.server 404 eve #c :Cannot send to channel',
      ':test.server 403 eve +#none :No such channel',
    ]);
  });
});
