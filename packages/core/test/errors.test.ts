import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  exitCodeByKind,
  ForbiddenError,
  httpStatusByKind,
  isQuartetError,
  NotFoundError,
  QuartetError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '../src/index.js';

describe('errors', () => {
  it.each([
    [new ValidationError('bad'), 'ValidationError', 'validation', 'VALIDATION', 400],
    [new NotFoundError('gone'), 'NotFoundError', 'not_found', 'NOT_FOUND', 404],
    [new ConflictError('taken'), 'ConflictError', 'conflict', 'CONFLICT', 409],
    [new ForbiddenError('no'), 'ForbiddenError', 'forbidden', 'FORBIDDEN', 403],
    [new UnauthenticatedError('who'), 'UnauthenticatedError', 'unauthenticated', 'UNAUTHENTICATED', 401],
    [new UnavailableError('down'), 'UnavailableError', 'unavailable', 'UNAVAILABLE', 503],
  ])('%s has name, kind, code and status', (error, name, kind, code, status) => {
    expect(error).toBeInstanceOf(QuartetError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(httpStatusByKind[error.kind]).toBe(status);
    expect(isQuartetError(error)).toBe(true);
  });

  it('keeps a specific code and the field issues', () => {
    const error = new ValidationError('amount is empty', {
      code: 'INVALID_AMOUNT',
      issues: [{ path: 'amount', message: 'empty' }],
    });
    expect(error.code).toBe('INVALID_AMOUNT');
    expect(error.issues).toEqual([{ path: 'amount', message: 'empty' }]);
    expect(new ConflictError('stock short', 'OUT_OF_STOCK').code).toBe('OUT_OF_STOCK');
  });

  it('does not claim plain errors', () => {
    expect(isQuartetError(new Error('boom'))).toBe(false);
    expect(isQuartetError('boom')).toBe(false);
  });

  it('gives command-line tools one exit code per kind, leaving 0 and 1 free', () => {
    expect(exitCodeByKind).toEqual({
      validation: 2,
      not_found: 3,
      conflict: 4,
      forbidden: 5,
      unauthenticated: 5,
      unavailable: 6,
    });
  });
});
