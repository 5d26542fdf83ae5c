import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger, resolveLogLevel } from '../src/index.js';

describe('resolveLogLevel', () => {
  it.each([
    [{}, 'warn'],
    [{ LOG_LEVEL: 'debug' }, 'debug'],
    [{ LOG_LEVEL: ' TRACE ' }, 'trace'],
    [{ LOG_LEVEL: 'silent' }, 'silent'],
    [{ LOG_LEVEL: 'loud' }, 'warn'],
    [{ LOG_LEVEL: '' }, 'warn'],
  ])('%j gives %s', (env, level) => {
    expect(resolveLogLevel(env, 'warn')).toBe(level);
  });
});

describe('createLogger', () => {
  it('writes JSON lines to a file at the level from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quartet-log-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'logs', 'tool.log');
    const log = createLogger({ name: 'bank', destination: file, env: { LOG_LEVEL: 'warn' } });
    log.info('hidden');
    log.warn({ user: 'ann' }, 'shown');
    log.flush();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, name: 'bank', user: 'ann', msg: 'shown' });
  });

  it('uses the default level when LOG_LEVEL is unset', () => {
    expect(createLogger({ name: 'x', defaultLevel: 'error', env: {} }).level).toBe('error');
    expect(createLogger({ name: 'x', env: {} }).level).toBe('info');
  });
});
