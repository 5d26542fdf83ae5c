import type { LineClient } from './helpers.js';
import { startServer, type TestServer } from './helpers.js';

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

async function untilPong(client: LineClient, lines: readonly string[]): Promise<string[]> {
  const token = `x${(pings += 1)}`;
  client.send(...lines, `PING ${token}`);
  const got = await client.collectUntil((line) => / PONG /.test(line) && / :?(\S+)$/.exec(line)?.[1] === token);
  return got.slice(0, -1);
}
