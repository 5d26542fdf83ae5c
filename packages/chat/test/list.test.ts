import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/timing/clock.js';
import { exchange } from './exchange.js';
import { joinedClients, RawClient, startServer } from './helpers.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const MINUTE = 60_000;

/** A clock whose `now` the test moves, for channel and topic ages; timers stay real. */
function fakeClock(): Clock & { set(ms: number): void } {
  let now = T0;
  return { ...systemClock, now: () => now, set: (ms) => (now = ms) };
}

/** The channels a LIST answered with, as `name count topic`. */
async function listed(client: RawClient, command: string): Promise<string[]> {
  const lines = await exchange(client, command);
  expect(lines[0]).toBe(':test.server 321 viewer Channel :Users  Name');
  expect(lines.at(-1)).toBe(':test.server 323 viewer :End of /LIST');
  return lines.slice(1, -1).map((line) => line.replace(/^:test\.server 322 viewer /, ''));
}

describe('LIST with ELIST conditions', () => {
  it('selects by name and mask (M), leaves out by mask (N), and filters by members (U), age (C) and topic age (T)', async () => {
    const clock = fakeClock();
    const limits = { floodBurst: 10_000, floodPerSecond: 10_000, floodQueueMax: 10_000 };
    const { port } = await startServer({ clock, limits });
    const [first] = await joinedClients(port, '#chan1', 'first');
    await exchange(first, 'TOPIC #chan1 :old');
    clock.set(T0 + 2 * MINUTE);
    const [second] = await joinedClients(port, '#chan2', 'second', 'third');
    await joinedClients(port, '#other', 'fourth');
    await exchange(second, 'TOPIC #chan2 :new');
    clock.set(T0 + 3 * MINUTE);
    const viewer = await RawClient.register(port, 'viewer');

    const chan1 = '#chan1 1 :old';
    const chan2 = '#chan2 2 :new';
    const other = '#other 1 :';
    expect(await listed(viewer, 'LIST')).toEqual([chan1, chan2, other]);
    expect(await listed(viewer, 'LIST #CHAN1,#other')).toEqual([chan1, other]);
    expect(await listed(viewer, 'LIST *an1')).toEqual([chan1]);
    expect(await listed(viewer, 'LIST #c*n2')).toEqual([chan2]);
    expect(await listed(viewer, 'LIST #ch*')).toEqual([chan1, chan2]);
    expect(await listed(viewer, 'LIST *an3')).toEqual([]);
    expect(await listed(viewer, 'LIST !*an1')).toEqual([chan2, other]);
    expect(await listed(viewer, 'LIST >1')).toEqual([chan2]);
    expect(await listed(viewer, 'LIST <2')).toEqual([chan1, other]);
    expect(await listed(viewer, 'LIST C>2')).toEqual([chan1]);
    expect(await listed(viewer, 'LIST C<2')).toEqual([chan2, other]);
    expect(await listed(viewer, 'LIST C<0')).toEqual([]);
    expect(await listed(viewer, 'LIST T<2')).toEqual([chan2]);
    expect(await listed(viewer, 'LIST T>2')).toEqual([chan1]);
    // Conditions together: the names select, the comparisons must all hold.
    expect(await listed(viewer, 'LIST #ch*,>1,T<10')).toEqual([chan2]);
    expect(await listed(viewer, 'LIST #chan1,>1')).toEqual([]);
  });
});
