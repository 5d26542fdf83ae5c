import { emailSchema, passwordSchema } from '@quartet/core';
import { z } from 'zod';
import { ROLES } from '../domain/types.js';
import { isoTime } from './common.js';
import { plainText, withoutNul } from './text.js';

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    active: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'User' });

/** A display name: one line of plain text. The CLI's `admin create --name` uses it too. */
export const userName = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters')
  .superRefine(plainText('name'));

/** Every password shop-api sets (registration, `admin create`): core's policy, and no NUL (bcrypt would stop there). */
export const newPassword = passwordSchema.superRefine(withoutNul('password'));

export const registerBody = z.strictObject({
  email: emailSchema,
  password: newPassword,
  name: userName,
});

export const loginBody = z.strictObject({
  email: emailSchema,
  // Any length is checked (at bcrypt's cost) and rejected the same way, so no policy hint leaks here.
  password: z.string().min(1).max(1024).superRefine(withoutNul('password')),
});

export const refreshBody = z.strictObject({
  refreshToken: z.string().min(1).max(256).superRefine(withoutNul('refreshToken')),
});

export const tokenSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('access token lifetime in seconds'),
  })
  .meta({ id: 'Tokens' });
