import { expect, it } from 'vitest';
import { RawClient, startServer } from './helpers.js';

const CLIENTS = 200;
const PER_SENDER = 3;

it(`delivers every message to every one of ${CLIENTS} members exactly once, in order per sender`, async () => {
  const { port } = await startServer();
  const clients: RawClient[] = [];
  for (let start = 0; start < CLIENTS; start += 50) {
    const batch = Array.from({ length: Math.min(50, CLIENTS - start) }, (_, i) =>
      RawClient.register(port, `u${start + i}`),
    );
    clients.push(...(await Promise.all(batch)));
  }
  for (const client of clients) client.send('JOIN #fan');
  // Everyone has joined once the last joiner's JOIN has reached everyone.
  await Promise.all(clients.map((c) => c.next(`:u${CLIENTS - 1}!u${CLIENTS - 1}@127.0.0.1 JOIN #fan`, 30_000)));

  clients.forEach((client, index) =>
    client.send(...Array.from({ length: PER_SENDER }, (_, n) => `PRIVMSG #fan :from u${index} #${n}`)),
  );
  const expected = (CLIENTS - 1) * PER_SENDER;
  await Promise.all(
    clients.map(async (client) => {
      let seen = 0;
      await client.next((line) => line.includes(' PRIVMSG #fan :') && ++seen === expected, 60_000);
      await client.sync();
    }),
  );

  clients.forEach((client, index) => {
    const received = client.lines.filter((l) => l.includes(' PRIVMSG #fan :'));
    expect(received).toHaveLength(expected);
    const bySender = new Map<string, string[]>();
    for (const line of received) {
      const match = /^:(u\d+)!\1@127\.0\.0\.1 PRIVMSG #fan :from \1 (#\d)$/.exec(line);
      expect(match, line).not.toBeNull();
      const [, sender, seq] = match!;
      bySender.set(sender!, [...(bySender.get(sender!) ?? []), seq!]);
    }
    expect(bySender.has(`u${index}`)).toBe(false);
    expect(bySender.size).toBe(CLIENTS - 1);
    for (const sequence of bySender.values()) expect(sequence).toEqual(['#0', '#1', '#2']);
  });
});
