/**
 * Expected failures carry a stable `code` so that every entry point can map
 * them without parsing messages: a CLI to an exit code, the API to an HTTP
 * status. Anything that is not a QuartetError is a bug and is shown as one.
 */
export type ErrorKind = 'validation' | 'not_found' | 'conflict' | 'forbidden' | 'unauthenticated' | 'unavailable';

export class QuartetError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.kind = kind;
    this.code = code;
  }
}

export class ValidationError extends QuartetError {
  /** One `path: message` entry per problem, for callers that list them. */
  readonly issues: readonly FieldIssue[];

  constructor(message: string, options?: { code?: string; issues?: readonly FieldIssue[]; cause?: unknown }) {
    super('validation', options?.code ?? 'VALIDATION', message, { cause: options?.cause });
    this.issues = options?.issues ?? [];
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class NotFoundError extends QuartetError {
  constructor(message: string, code = 'NOT_FOUND') {
    super('not_found', code, message);
  }
}

export class ConflictError extends QuartetError {
  constructor(message: string, code = 'CONFLICT') {
    super('conflict', code, message);
  }
}

export class ForbiddenError extends QuartetError {
  constructor(message: string, code = 'FORBIDDEN') {
    super('forbidden', code, message);
  }
}

export class UnauthenticatedError extends QuartetError {
  constructor(message: string, code = 'UNAUTHENTICATED') {
    super('unauthenticated', code, message);
  }
}

export class UnavailableError extends QuartetError {
  constructor(message: string, code = 'UNAVAILABLE', options?: ErrorOptions) {
    super('unavailable', code, message, options);
  }
}

/** The HTTP status an API answers with for each kind of expected failure. */
export const httpStatusByKind: Readonly<Record<ErrorKind, number>> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthenticated: 401,
  unavailable: 503,
};

/**
 * Default exit codes for a command-line tool, by kind of expected failure.
 * 0 is success and 1 is left for bugs; a tool whose issue fixes other codes
 * (bank: 1 refused, 2 bad input, 3 authentication) keeps its own table.
 */
export const exitCodeByKind: Readonly<Record<ErrorKind, number>> = {
  validation: 2,
  not_found: 3,
  conflict: 4,
  forbidden: 5,
  unauthenticated: 5,
  unavailable: 6,
};

export function isQuartetError(value: unknown): value is QuartetError {
  return value instanceof QuartetError;
}
