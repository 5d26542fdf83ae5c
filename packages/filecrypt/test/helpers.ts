import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { CommandContext } from '../src/commands/context.js';

export const CLI = fileURLToPath(new URL('../bin/filecrypt.js', import.meta.url));
export const SEGMENT = 65536;
export const TAG = 16;
export const FULL = SEGMENT + TAG;
export const FINAL = 320 + TAG;

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'filecrypt-test-'));
  onTestFinished(() => {
    // Trees with read-only directories (archive round trips) cannot be emptied by a user other than root.
    spawnSync('chmod', ['-R', 'u+rwx', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

export interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export function runCli(
  args: string[],
  options: {
    input?: Buffer;
    env?: Record<string, string>;
    cwd?: string;
    uid?: number;
    gid?: number;
    /**
     * Extra file descriptors from fd 3 on, each fed these bytes and closed (for --passphrase-fd);
     * null leaves that pipe open and empty, so that a read from it would wait forever.
     */
    fds?: (string | Buffer | null)[];
    /** Feed the fds but leave them open: a reader that waits for end of file never finishes. */
    keepFdsOpen?: boolean;
    /** A new session without a controlling terminal, so /dev/tty cannot be opened. */
    detached?: boolean;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, ...options.env };
    if (!options.env?.['FILECRYPT_PASSPHRASE']) delete env['FILECRYPT_PASSPHRASE'];
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe', ...(options.fds ?? []).map(() => 'pipe' as const)],
      detached: options.detached ?? false,
      ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? Buffer.alloc(0));
    (options.fds ?? []).forEach((text, index) => {
      const stream = child.stdio[3 + index] as NodeJS.WritableStream;
      // A child that reads only part of it (one line) closes it unread: not the test's failure.
      stream.on('error', () => undefined);
      if (text === null) return;
      if (options.keepFdsOpen) stream.write(text);
      else stream.end(text);
    });
  });
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Deterministic bytes (SHA-256 in counter mode) for vectors and reproducible inputs. */
export function seededRandom(seed: string): (size: number) => Buffer {
  let counter = 0;
  return (size) => {
    const blocks: Buffer[] = [];
    for (let have = 0; have < size; have += 32) {
      blocks.push(createHash('sha256').update(`${seed}:${counter++}`).digest());
    }
    return Buffer.concat(blocks).subarray(0, size);
  };
}

export function seededBytes(seed: string, size: number): Buffer {
  return seededRandom(seed)(size);
}

/** A command context for in-process runs: no terminal, no prompt, stdout captured. */
export function testContext(overrides: Partial<CommandContext> = {}): CommandContext & {
  warnings: string[];
  output: () => Buffer;
} {
  const warnings: string[] = [];
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    config: { passphrase: undefined },
    stdin: Readable.from([]),
    stdout,
    stderrIsTTY: false,
    warn: (line) => warnings.push(line),
    progressWrite: () => undefined,
    prompt: () => Promise.reject(new Error('tests never prompt')),
    warnings,
    output: () => Buffer.concat(chunks),
    ...overrides,
  };
}

/** A running CLI whose stdin the test feeds and ends itself, to act between two of its steps. */
export function startCli(
  args: string[],
  options: { env?: Record<string, string> } = {},
): { child: ChildProcess; stdin: Writable; result: Promise<CliResult & { signal: NodeJS.Signals | null }> } {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (!options.env?.['FILECRYPT_PASSPHRASE']) delete env['FILECRYPT_PASSPHRASE'];
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on('error', () => undefined);
  const result = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr }));
  });
  return { child, stdin: child.stdin, result };
}

/** Resolves with the first entry of `dir` that matches, as soon as it exists (an event, not a poll). */
export function waitForEntry(dir: string, matches: (name: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    const check = () => {
      let found: string | undefined;
      try {
        found = readdirSync(dir).find(matches);
      } catch {
        // The test ended (its directory is gone) before the entry appeared.
        watcher.close();
        return false;
      }
      if (found === undefined) return false;
      watcher.close();
      resolve(found);
      return true;
    };
    const watcher = watch(dir, check);
    check();
  });
}
