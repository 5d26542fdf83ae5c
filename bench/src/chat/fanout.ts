import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openClient, openMany, type BenchClient } from './ircClient.js';

export interface Step {
  senders: number;
  /** Messages per second per sender. */
  rate: number;
}

export interface StepResult extends Step {
  offeredPerSec: number;
  sent: number;
  expected: number;
  delivered: number;
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  disconnected: number;
  loadgenCpu: number;
  /** The server's CPU time over the step, in cores (1 = one core busy all the time). */
  serverCpu: number;
  /**
   * Server CPU microseconds per delivery: what a delivery costs the server,
   * whatever else the machine is doing. On a shared, busy machine this is the
   * steadier figure; latency there also measures the neighbours.
   */
  serverUsPerDelivery: number;
}

const BUCKET_MS = 0.1;
const BUCKETS = 100_000; // 0.1 ms resolution up to 10 s; slower lands in the last bucket

/**
 * 1000 clients in one channel; at each step, `senders` of them each send
 * `rate` messages per second for `seconds`, and every message must reach the
 * other members. Latency is measured from the send to each delivery, on one
 * clock, since the whole load generator is this process.
 */
export async function fanout(options: {
  host: string;
  port: number;
  clients: number;
  steps: readonly Step[];
  seconds: number;
  drainMs: number;
  /**
   * When to stop raising the load: after the first step that is not sustained
   * ('latency'), or only after one that loses messages or clients ('delivery'),
   * which shows the whole latency curve on a machine too busy for the target.
   */
  stopOn?: 'latency' | 'delivery';
  p99TargetMs: number;
  /** The server process, for its CPU time per step. */
  serverPid: number;
  /** Messages sent (by 10% of the clients) before the first step, so that both servers are measured warm. */
  warmupMessages?: number;
  log: (line: string) => void;
}): Promise<StepResult[]> {
  const channel = '#bench';
  const histogram = new Uint32Array(BUCKETS);
  let delivered = 0;
  let disconnected = 0;
  const onStamp = (sentAtUs: number) => {
    const ms = performance.now() - sentAtUs / 1000;
    histogram[Math.min(BUCKETS - 1, Math.max(0, Math.floor(ms / BUCKET_MS)))]! += 1;
    delivered += 1;
  };
  const runId = Math.random().toString(36).slice(2, 6);
  const clients = await openMany(options.clients, (i) =>
    openClient(options.host, options.port, `b${runId}${i}`, channel, { onStamp, onClose: () => (disconnected += 1) }),
  );
  options.log(`  ${clients.length} clients joined ${channel}`);
  await sleep(500); // let the join storm's output settle before measuring
  if (options.warmupMessages) await warmUp(clients, options.warmupMessages, () => delivered, options.drainMs);

  const results: StepResult[] = [];
  try {
    for (const step of options.steps) {
      histogram.fill(0);
      delivered = 0;
      const before = disconnected;
      const cpu = process.cpuUsage();
      const serverCpuBefore = cpuSeconds(options.serverPid);
      const started = performance.now();
      const sent = await sendFor(clients.slice(0, step.senders), step.rate, options.seconds);
      const expected = sent * (clients.length - 1);
      const deadline = performance.now() + options.drainMs;
      while (delivered < expected && performance.now() < deadline) await sleep(20);
      const elapsed = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const serverCpu = cpuSeconds(options.serverPid) - serverCpuBefore;
      const result: StepResult = {
        ...step,
        offeredPerSec: step.senders * step.rate * (clients.length - 1),
        sent,
        expected,
        delivered,
        deliveredPerSec: Math.round(delivered / elapsed),
        p50Ms: quantile(histogram, delivered, 0.5),
        p99Ms: quantile(histogram, delivered, 0.99),
        maxMs: quantile(histogram, delivered, 1),
        disconnected: disconnected - before,
        loadgenCpu: (used.user + used.system) / 1e6 / elapsed,
        serverCpu: serverCpu / elapsed,
        serverUsPerDelivery: delivered > 0 ? (serverCpu * 1e6) / delivered : Number.NaN,
      };
      results.push(result);
      options.log(
        `  ${step.senders} senders × ${step.rate}/s: ${((100 * delivered) / Math.max(1, expected)).toFixed(1)}% delivered, p99 ${result.p99Ms.toFixed(1)} ms`,
      );
      if (options.stopOn === 'latency' && !sustained(result, options.p99TargetMs)) break;
      if (options.stopOn === 'delivery' && !fullyDelivered(result)) break;
      await sleep(300);
    }
  } finally {
    for (const client of clients) client.socket.destroy();
  }
  return results;
}

export function fullyDelivered(result: StepResult): boolean {
  return result.delivered === result.expected && result.disconnected === 0;
}

export function sustained(result: StepResult, p99TargetMs: number): boolean {
  return result.delivered === result.expected && result.disconnected === 0 && result.p99Ms <= p99TargetMs;
}

/**
 * Send `count` messages from the first tenth of the clients, spread over a
 * second, and wait until they are delivered: the code paths are compiled and
 * the heap has grown before the first measured step, for both servers alike.
 */
async function warmUp(
  clients: readonly BenchClient[],
  count: number,
  delivered: () => number,
  drainMs: number,
): Promise<void> {
  const senders = clients.slice(0, Math.max(1, Math.floor(clients.length / 10)));
  const before = delivered();
  for (let i = 0; i < count; i += 1) {
    senders[i % senders.length]!.send(`PRIVMSG #bench :warm-up ${i} ~${Math.round(performance.now() * 1000)}`);
    if (i % senders.length === senders.length - 1) await sleep(1000 / Math.ceil(count / senders.length));
  }
  const expected = before + count * (clients.length - 1);
  const deadline = performance.now() + drainMs;
  while (delivered() < expected && performance.now() < deadline) await sleep(20);
  await sleep(300);
}

/** User plus system CPU seconds of a process so far, from /proc. */
function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in ticks.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Each sender sends at its rate, spread evenly over the second; returns how many were sent. */
async function sendFor(senders: readonly BenchClient[], rate: number, seconds: number): Promise<number> {
  const intervalMs = 1000 / rate;
  const start = performance.now();
  const next = senders.map((_, i) => start + (intervalMs * i) / senders.length);
  const seq = new Array<number>(senders.length).fill(0);
  let sent = 0;
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    const now = performance.now();
    for (let i = 0; i < senders.length; i += 1) {
      if (next[i]! <= now && next[i]! < end) {
        senders[i]!.send(`PRIVMSG #bench :${i} ${seq[i]!} ~${Math.round(performance.now() * 1000)}`);
        seq[i]! += 1;
        next[i]! += intervalMs;
        sent += 1;
      }
    }
    await sleep(2);
  }
  return sent;
}

function quantile(histogram: Uint32Array, total: number, q: number): number {
  if (total === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i]!;
    if (seen >= rank) return (i + 1) * BUCKET_MS;
  }
  return BUCKETS * BUCKET_MS;
}
