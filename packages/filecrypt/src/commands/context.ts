import type { Readable, Writable } from 'node:stream';
import type { KdfLimits } from '../format/constants.js';
import type { Config } from '../config.js';

/**
 * What a command may touch besides the file system. cli.ts builds the real
 * one; tests build their own. Commands never print: they report through
 * `warn` and `progress` and return a result.
 */
export interface CommandContext {
  config: Config;
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderrIsTTY: boolean;
  warn: (line: string) => void;
  /** Raw progress output (the bar redraws itself with \r). */
  progressWrite: (text: string) => void;
  /** The answer's bytes as typed. */
  prompt: (question: string) => Promise<Buffer>;
  /** Test hooks, never set by the CLI. */
  random?: (size: number) => Buffer;
  limits?: KdfLimits;
}
