import { ConflictError, QuartetError, UnavailableError, ValidationError } from '@quartet/core/errors';
import { expect, it } from 'vitest';
import * as errors from '../src/errors.js';
import { exitCodeFor } from '../src/exit-codes.js';

it.each([
  [errors.wrongKey(), 3],
  [errors.truncated(), 4],
  [errors.corruptSegment(7), 4],
  [errors.trailingData(), 4],
  [errors.headerCorrupt(), 4],
  [errors.checksumMismatch('size'), 4],
  [errors.unsafeArchive('absolute path'), 4],
  [errors.notFilecrypt(), 5],
  [errors.unsupportedVersion(2), 5],
  [errors.kdfLimit('too many iterations'), 5],
  [errors.notFound('x'), 6],
  [errors.permissionDenied('x'), 7],
  [errors.outputExists('x'), 8],
  [errors.usage('bad flag'), 2],
  [errors.tooLarge(), 2],
  [new errors.InterruptedError('SIGINT'), 130],
  // core's classes without a filecrypt code map by kind
  [new ValidationError('bad'), 2],
  [new ConflictError('taken'), 8],
  [new UnavailableError('down'), 1],
] as const)('%s → exit %i', (error, code) => {
  expect(error).toBeInstanceOf(QuartetError);
  expect(exitCodeFor(error)).toBe(code);
});

it('anything that is not a QuartetError is a bug', () => {
  expect(exitCodeFor(new Error('boom'))).toBeUndefined();
  expect(exitCodeFor({ kind: 'validation', code: 'USAGE', message: 'look-alike' })).toBeUndefined();
});
