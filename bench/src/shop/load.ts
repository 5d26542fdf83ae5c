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

export function cpuCell(micros: number | undefined): string {
  return micros === undefined ? 'n/a' : micros.toFixed(1);
}
