import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Timed {
  wallMs: number;
  maxRssMiB: number;
  exitCode: number;
  stderr: string;
}

export interface TimedOptions {
  stdinFile?: string;
  stdoutFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Give up after this long (the run counts as failed). Default 10 minutes. */
  timeoutMs?: number;
}

/**
 * Run a command under GNU time, which reports the child's own peak RSS.
 * Wall time is measured here, around the whole process.
 */
export async function timed(command: string, args: readonly string[], options: TimedOptions = {}): Promise<Timed> {
  const report = join(tmpdir(), `quartet-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const stdin = options.stdinFile ? openSync(options.stdinFile, 'r') : 'ignore';
  const stdout = options.stdoutFile ? openSync(options.stdoutFile, 'w') : 'ignore';
  const started = process.hrtime.bigint();
  try {
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', report, command, ...args], {
      stdio: [stdin, stdout, 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
      timeout: options.timeoutMs ?? 600_000,
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code ?? 1));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    const maxRssKiB = Number(lines.at(-1));
    return { wallMs, maxRssMiB: maxRssKiB / 1024, exitCode, stderr };
  } finally {
    if (typeof stdin === 'number') closeSync(stdin);
    if (typeof stdout === 'number') closeSync(stdout);
    rmSync(report, { force: true });
  }
}

/** Run `fn` n times and keep every result (benchmarks report the median). */
export async function repeat<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < n; i += 1) results.push(await fn(i));
  return results;
}
