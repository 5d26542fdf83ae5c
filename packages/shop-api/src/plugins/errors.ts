import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isQuartetError } from '@quartet/core';
import { problem, problemOf, type Problem } from '../errors.js';

/** Fastify's and its plugins' own 4xx errors, renamed to our codes. Their messages are safe to show. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_CONTENT_LENGTH',
};

/** RFC 6750 §3: a 401 for a bearer token says so, and why when a token was sent. */
const CHALLENGES: Record<string, string> = {
  TOKEN_MISSING: 'Bearer',
  TOKEN_INVALID: 'Bearer error="invalid_token"',
  TOKEN_EXPIRED: 'Bearer error="invalid_token"',
  TOKEN_REVOKED: 'Bearer error="invalid_token"',
};

/**
 * The one place errors become responses: RFC 9457 problem+json for every
 * failure. Expected failures (core error kinds) keep their message; anything
 * else is a bug, logged with the request id and answered without internals.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      // The plugin's declared type comes from a path lint cannot resolve; its shape is Fastify's validation error.
      const issues = error.validation as { instancePath: string; message: string }[];
      const errors = issues.map((issue) => ({
        path: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message,
      }));
      const detail = errors.map(({ path, message }) => `${path}: ${message}`).join('; ');
      return sendProblem(reply, problem(400, 'VALIDATION', detail, { errors }));
    }
    if (isQuartetError(error)) {
      const challenge = CHALLENGES[error.code];
      if (challenge !== undefined) reply.header('www-authenticate', challenge);
      return sendProblem(reply, problemOf(error));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500 && !isResponseSerializationError(error)) {
      const code = FRAMEWORK_CODES[error.code] ?? (status === 429 ? 'RATE_LIMITED' : codeOfStatus(status));
      return sendProblem(reply, problem(status, code, error.message));
    }
    request.log.error({ err: error, reqId: request.id }, 'request failed');
    return sendProblem(
      reply,
      problem(500, 'INTERNAL', `an unexpected error occurred; quote request id ${request.id} when reporting it`),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, 'ROUTE_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  // JSON.stringify, not the route's compiled serializer: problems carry optional extension members.
  return reply.code(body.status).type('application/problem+json').serializer(JSON.stringify).send(body);
}

function codeOfStatus(status: number): string {
  return status === 404 ? 'NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : 'BAD_REQUEST';
}
