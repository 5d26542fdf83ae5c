import { plainTextProblem, type PlainTextOptions } from '@quartet/core';
import type { z } from 'zod';

/*
 * Text refinements every string field of a request goes through. PostgreSQL refuses NUL in text (a
 * 500, before these), SQLite keeps it and truncates it in C APIs, bcrypt stops at it; control and
 * bidirectional formatting characters in names and titles mislead whoever reads them later (a
 * terminal, an invoice, the admin list: Trojan Source, CVE-2021-42574); a lone surrogate is not text
 * at all, and would be stored as U+FFFD.
 */

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Refuses the NUL character only: for secrets (passwords, tokens), where every other character is the owner's business. */
export function withoutNul(field: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    if (value.includes('\u0000')) {
      ctx.addIssue({ code: 'custom', message: `${field} must not contain the NUL character (U+0000)` });
    }
  };
}

/**
 * Refuses C0 and C1 controls, DEL, bidirectional formatting characters and lone surrogates.
 * `multiline` allows tab, line feed and carriage return (descriptions, notes).
 */
export function plainText(field: string, options: PlainTextOptions = {}) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = plainTextProblem(field, value, options);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    else if (LONE_SURROGATE.test(value)) {
      ctx.addIssue({ code: 'custom', message: `${field} must be well-formed Unicode (found a lone surrogate)` });
    }
  };
}
