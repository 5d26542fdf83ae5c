import { emailSchema, passwordSchema } from '@quartet/core';
import { z } from 'zod';
import { ROLES } from '../domain/types.js';
import { isoTime } from './common.js';

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

export const registerBody = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1, 'name must not be empty').max(100, 'name must be at most 100 characters'),
});

export const loginBody = z.strictObject({
  email: emailSchema,
  // Any length is checked (at bcrypt's cost) and rejected the same way, so no policy hint leaks here.
  password: z.string().min(1).max(1024),
});

export const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(256) });

export const tokenSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('access token lifetime in seconds'),
  })
  .meta({ id: 'Tokens' });
