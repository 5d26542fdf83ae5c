import { z } from 'zod';
import { ValidationError, type FieldIssue } from './errors.js';
import { parseAmount, type AmountOptions } from './money.js';
import { MAX_PASSWORD_BYTES } from './password.js';
import { passwordPolicyProblem } from './password-policy.js';

export const MIN_PASSWORD_LENGTH = 12;

/** 3–32 of [a-z0-9_.-]; input is case-insensitive and stored lower-case. */
export const usernameSchema = z
  .string()
  .min(3, 'username must be at least 3 characters')
  .max(32, 'username must be at most 32 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'username may only contain letters a-z, digits, "_", "." and "-"')
  .transform((name) => name.toLowerCase());

export const emailSchema = z
  .email({ message: 'email must be a valid address such as name@example.com' })
  .max(254, 'email must be at most 254 characters')
  .transform((email) => email.toLowerCase());

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .refine((pw) => Buffer.byteLength(pw, 'utf8') <= MAX_PASSWORD_BYTES, {
    message: `password must be at most ${MAX_PASSWORD_BYTES} bytes of UTF-8`,
  })
  .superRefine((pw, ctx) => {
    // Only a password of an acceptable length is judged further: one message at a time.
    if (pw.length < MIN_PASSWORD_LENGTH || Buffer.byteLength(pw, 'utf8') > MAX_PASSWORD_BYTES) return;
    const problem = passwordPolicyProblem(pw);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The password policy, plus: a password must not contain the username. */
export function passwordFor(username: string) {
  return passwordSchema.refine((pw) => !pw.toLowerCase().includes(username.toLowerCase()), {
    message: 'password must not contain the username',
  });
}

/** A decimal string such as "12.34", parsed into integer minor units. */
export function amountSchema(options: AmountOptions = {}) {
  return z.string().transform((input, ctx) => {
    try {
      return parseAmount(input, options);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });
}

/** zod issues as `{path, message}`, with the path dotted (`items.0.quantity`). */
export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** zod issues as `path: message` lines; an issue on the whole value has no path. */
export function formatZodIssues(error: z.ZodError): string[] {
  return zodIssues(error).map(({ path, message }) => (path ? `${path}: ${message}` : message));
}

/** Parse or throw a ValidationError whose message is the first issue. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = formatZodIssues(result.error);
  throw new ValidationError(lines.join('; '), { issues: zodIssues(result.error) });
}
