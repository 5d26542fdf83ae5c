import { describe, expect, it } from 'vitest';
import { exchange } from './exchange.js';
import { joinedClients, RawClient, startServer } from './helpers.js';

describe('NAMES', () => {
  it('lists invisible users (+i) to the channel members only', async () => {
    const { port } = await startServer();
    const [op, ghost] = await joinedClients(port, '#c', 'op', 'ghost');
    await exchange(ghost, 'MODE ghost +i');
    const eve = await RawClient.register(port, 'eve');
    expect(await exchange(eve, 'NAMES #c')).toEqual([
      ':test.server 353 eve = #c :@op',
      ':test.server 366 eve #c :End of /NAMES list',
    ]);
    expect(await exchange(op, 'NAMES #c')).toEqual([
      ':test.server 353 op = #c :@op ghost',
      ':test.server 366 op #c :End of /NAMES list',
    ]);
    await exchange(op, 'PART #c');
    expect(await exchange(eve, 'NAMES #c')).toEqual([':test.server 366 eve #c :End of /NAMES list']);
  });
});
