import { describe, expect, it } from 'vitest';
import { exchange, received, unthrottledServer } from './exchange.js';
import { joinedClients, RawClient } from './helpers.js';

describe('INVITE', () => {
  it('sends 341 to the inviter and INVITE to the target only; the invite opens +i once', async () => {
    const { port } = await unthrottledServer();
    const [op, carol] = await joinedClients(port, '#c', 'op', 'carol');
    const bob = await RawClient.register(port, 'bob');
    await exchange(op, 'MODE #c +i');
    expect(await exchange(bob, 'JOIN #c')).toEqual([':test.server 473 bob #c :Cannot join channel (+i)']);
    expect(await exchange(op, 'INVITE bob #c')).toEqual([':test.server 341 op bob #c']);
    expect(await received(bob)).toEqual([':op!op@127.0.0.1 INVITE bob #c']);
    // Other members never hear of an invite.
    expect(await received(carol)).toEqual([':op!op@127.0.0.1 MODE #c +i']);
    expect((await exchange(bob, 'JOIN #c'))[0]).toBe(':bob!bob@127.0.0.1 JOIN #c');
    // Used up: kicked out, bob needs a new invite.
    await exchange(op, 'KICK #c bob');
    expect(await exchange(bob, 'JOIN #c')).toEqual([':test.server 473 bob #c :Cannot join channel (+i)']);
  });

  it('lets any member invite to a channel without +i', async () => {
    const { port } = await unthrottledServer();
    const [, carol] = await joinedClients(port, '#c', 'op', 'carol');
    const bob = await RawClient.register(port, 'bob');
    expect(await exchange(carol, 'INVITE bob #c')).toEqual([':test.server 341 carol bob #c']);
    expect(await received(bob)).toEqual([':carol!carol@127.0.0.1 INVITE bob #c']);
  });

  it('answers 461, 401, 403, 442, 482 and 443, and the target hears nothing', async () => {
    const { port } = await unthrottledServer();
    const [op, carol] = await joinedClients(port, '#c', 'op', 'carol');
    await joinedClients(port, '#other', 'dave');
    const bob = await RawClient.register(port, 'bob');
    await exchange(op, 'MODE #c +i');
    expect(await exchange(op, 'INVITE bob')).toEqual([':test.server 461 op INVITE :Not enough parameters']);
    expect(await exchange(op, 'INVITE nobody #c')).toEqual([':test.server 401 op nobody :No such nick/channel']);
    expect(await exchange(op, 'INVITE bob #nowhere')).toEqual([':test.server 403 op #nowhere :No such channel']);
    expect(await exchange(op, 'INVITE bob #other')).toEqual([":test.server 442 op #other :You're not on that channel"]);
    expect(await exchange(carol, 'INVITE bob #c')).toEqual([":test.server 482 carol #c :You're not channel operator"]);
    expect(await exchange(op, 'INVITE carol #c')).toEqual([':test.server 443 op carol #c :is already on channel']);
    expect(await received(bob)).toEqual([]);
  });

  it('lets an invited user past +l and a ban, but not past a key', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#c', 'op');
    const bob = await RawClient.register(port, 'bob');
    await exchange(op, 'MODE #c +lb 1 bob');
    expect(await exchange(bob, 'JOIN #c')).toEqual([':test.server 474 bob #c :Cannot join channel (+b)']);
    await exchange(op, 'INVITE bob #c');
    expect((await exchange(bob, 'JOIN #c', 'PART #c'))[0]).toBe(':bob!bob@127.0.0.1 JOIN #c');
    await exchange(op, 'MODE #c -b+k bob sesame', 'INVITE bob #c');
    expect(await exchange(bob, 'JOIN #c')).toEqual([':test.server 475 bob #c :Cannot join channel (+k)']);
    expect((await exchange(bob, 'JOIN #c sesame'))[0]).toBe(':bob!bob@127.0.0.1 JOIN #c');
  });

  it('lists pending invites with INVITE alone (336, 337), and tells the inviter when the target is away (301)', async () => {
    const { port } = await unthrottledServer();
    const [op] = await joinedClients(port, '#a', 'op');
    await op.join('#b');
    const bob = await RawClient.register(port, 'bob');
    expect(await exchange(bob, 'INVITE')).toEqual([':test.server 337 bob :End of /INVITE list']);
    await exchange(bob, 'AWAY :lunch');
    expect(await exchange(op, 'INVITE bob #a', 'INVITE bob #b')).toEqual([
      ':test.server 341 op bob #a',
      ':test.server 301 op bob :lunch',
      ':test.server 341 op bob #b',
      ':test.server 301 op bob :lunch',
    ]);
    expect(await exchange(bob, 'INVITE')).toEqual([
      ':test.server 336 bob #a',
      ':test.server 336 bob #b',
      ':test.server 337 bob :End of /INVITE list',
    ]);
    // Joining uses an invite up; a channel that empties takes its invites with it.
    await exchange(bob, 'JOIN #a');
    await exchange(op, 'PART #b');
    expect(await exchange(bob, 'INVITE')).toEqual([':test.server 337 bob :End of /INVITE list']);
  });
});
