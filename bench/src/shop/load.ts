import autocannon from 'autocannon';
import { cpuMicros } from './cpu.js';

export interface Load {
  reqPerSec: number;
  p99Ms: number;
  errors: number;
  /** The server process's CPU time (user + system) per request, where /proc has it. */
  cpuMicrosPerRequest?: number;
}

/** autocannon on one URL, 50 connections, as every catalog read row. */
export async function load(url: string, seconds: number, pid: number | undefined): Promise<Load> {
  const before = cpuMicros(pid);
  const result = await autocannon({ url, connections: 50, duration: seconds });
  const after = cpuMicros(pid);
  const loadResult: Load = {
    reqPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
  if (before !== undefined && after !== undefined && result.requests.total > 0) {
    loadResult.cpuMicrosPerRequest = (after - before) / result.requests.total;
  }
  return loadResult;
}

/** One request measured on shop-api and on the bare server one right after the other. */
export interface ReadPair {
  ours: Load;
  bare: Load;
}

/** shop-api's requests per second as a share of the bare server's. */
export function share(pair: ReadPair): number {
  return pair.ours.reqPerSec / pair.bare.reqPerSec;
}

/**
 * `rounds` adjacent runs of shop-api then the bare server, and the round whose share is the median:
 * this machine's speed drifts within seconds, so one pair can be off by half either way, and a
 * median pair keeps both figures of a row from the same moment.
 */
export async function pairedLoad(
  ours: () => Promise<Load>,
  bare: () => Promise<Load>,
  rounds: number,
): Promise<ReadPair> {
  const pairs: ReadPair[] = [];
  for (let i = 0; i < rounds; i++) pairs.push({ ours: await ours(), bare: await bare() });
  pairs.sort((a, b) => share(a) - share(b));
  return pairs[Math.floor(pairs.length / 2)]!;
}

export function cpuCell(micros: number | undefined): string {
  return micros === undefined ? 'n/a' : micros.toFixed(1);
}
