import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from './helpers.js';

/**
 * Helpers for the age tests: the `age` binaries (skipped with a printed reason
 * when missing, a failure under QUARTET_REQUIRE_SERVICES=1, as the chat
 * interop tests do), a pty driver for age's passphrase prompt, and filecrypt
 * key files.
 */

export type ToolsStatus = { available: true; version: string } | { available: false; reason: string };

/** Looked up on env's PATH, so that a test can take the tools away. */
const has = (command: string, env: NodeJS.ProcessEnv) =>
  spawnSync('/bin/sh', ['-c', `command -v ${command}`], { env }).status === 0;

/** `age`, `age-keygen` and python3 (for the pty); a missing one is a reason to skip unless services are required. */
export function ageToolsForTests(env = process.env): ToolsStatus {
  const missing = [
    ['age', 'apt-get install -y age'],
    ['age-keygen', 'apt-get install -y age'],
    ['python3', 'apt-get install -y python3'],
  ].filter(([command]) => !has(command!, env));
  if (missing.length === 0) {
    return { available: true, version: spawnSync('age', ['--version'], { encoding: 'utf8' }).stdout.trim() };
  }
  const what = missing.map(([command, install]) => `${command} (${install})`).join(', ');
  if (env['QUARTET_REQUIRE_SERVICES'] === '1') throw new Error(`QUARTET_REQUIRE_SERVICES=1 but missing: ${what}`);
  return { available: false, reason: `skipped: age interop tests need ${what}` };
}

export interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export function run(command: string, args: string[], input?: Buffer): Run {
  const result = spawnSync(command, args, { input: input ?? Buffer.alloc(0), maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

/**
 * age reads a passphrase only from a terminal: this runs a command on a pty
 * (python's pty module) and answers every prompt that says "passphrase" with
 * the given one. Output must go to a file (-o): the pty mixes stdout into the
 * prompts.
 */
const PTY_SCRIPT = `
import os, pty, sys
answer = sys.argv[1].encode() + b'\\n'
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen, answered = b'', 0
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    seen += data
    while seen.lower().count(b'passphrase') > answered:
        os.write(fd, answer)
        answered += 1
_, status = os.waitpid(pid, 0)
sys.stderr.write(seen.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;

export function onPty(dir: string, passphrase: string, argv: string[]): Run {
  // Not pty.py: python would import the script itself as its pty module.
  const script = join(dir, 'answer-prompts.py');
  writeFileSync(script, PTY_SCRIPT);
  return run('python3', [script, passphrase, ...argv]);
}

/** A filecrypt age identity file in dir; returns its path and public key (checked against the file's comment). */
export async function ageKeyFile(
  dir: string,
  name = 'key.txt',
  extra: string[] = [],
): Promise<{ path: string; recipient: string }> {
  const path = join(dir, name);
  const result = await runCli(['keygen', '--format', 'age', ...extra, '-o', path]);
  expect(result.code, result.stderr).toBe(0);
  const recipient = result.stdout.toString().trim();
  expect(readFileSync(path, 'utf8')).toContain(`# public key: ${recipient}\n`);
  return { path, recipient };
}

/** An identity file made by the real age-keygen; returns its path and public key. */
export function ageKeygen(dir: string, name = 'age-key.txt'): { path: string; recipient: string } {
  const path = join(dir, name);
  const made = run('age-keygen', ['-o', path]);
  expect(made.code, made.stderr).toBe(0);
  const recipient = /^# public key: (age1\S+)$/m.exec(readFileSync(path, 'utf8'))![1]!;
  return { path, recipient };
}

/** The boundary sizes the issue names: empty, one byte, exactly one 64 KiB chunk, and one byte more. */
export const AGE_SIZES = [0, 1, 65536, 65537] as const;
