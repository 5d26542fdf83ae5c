import type { LineClient } from './helpers.js';
import { RawClient, startServer, type TestServer } from './helpers.js';

let pings = 0;

/**
 * Send lines and return every line the client receives in answer, up to the PONG of a PING sent after them (not
 * included). Lines that arrived before are skipped first, so a test can assert exactly what the server said in
 * reply, and nothing else (an empty list included).
 */
export async function exchange(client: LineClient, ...lines: string[]): Promise<string[]> {
  await client.sync();
  return untilPong(client, lines);
}

/**
 * Everything the client has received and not yet read, up to a PONG. Call it after another client's command has
 * been answered: the server handles commands in order, so what that command sent this client is already queued.
 */
export function received(client: LineClient): Promise<string[]> {
  return untilPong(client, []);
}

/** A server whose flood limits stay out of the way of tests that send many lines at once. */
export function unthrottledServer(): Promise<TestServer> {
  return startServer({ limits: { floodBurst: 10_000, floodPerSecond: 10_000, floodQueueMax: 10_000 } });
}

/** Register with these capabilities (CAP LS 302, REQ, END); waits for the end of the welcome burst. */
export async function capClient(port: number, nick: string, caps: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.send('CAP LS 302');
  if (caps !== '') client.send(`CAP REQ :${caps}`);
  client.send(`NICK ${nick}`, `USER ${nick} 0 * :${nick} Real`, 'CAP END');
  await client.next(/ (376|422) /);
  return client;
}

/** Join each client to the channel in turn, then read away what the joins sent them all. */
export async function joinAll(channel: string, clients: readonly RawClient[]): Promise<void> {
  for (const client of clients) await client.join(channel);
  for (const client of clients) await received(client);
}

async function untilPong(client: LineClient, lines: readonly string[]): Promise<string[]> {
  const token = `x${(pings += 1)}`;
  client.send(...lines, `PING ${token}`);
  const got = await client.collectUntil((line) => / PONG /.test(line) && / :?(\S+)$/.exec(line)?.[1] === token);
  return got.slice(0, -1);
}
