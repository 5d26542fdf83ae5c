import { randomUUID } from 'node:crypto';
import { createPasswordHasher, emailSchema, parseWith } from '@quartet/core';
import type { ShopConfig } from '../config.js';
import { openStore } from '../db/open.js';
import type { User } from '../domain/types.js';
import { newPassword, userName } from '../schemas/auth.js';

export interface AdminCreateOptions {
  email: string;
  name?: string | undefined;
  /** Asked for only when the account does not exist yet. */
  password: () => Promise<string>;
}

/** Create an administrator, or promote (and reactivate) an existing user. */
export async function adminCreate(
  config: ShopConfig,
  options: AdminCreateOptions,
): Promise<{ action: 'created' | 'promoted'; user: User; warnings: readonly string[] }> {
  const email = parseWith(emailSchema, options.email);
  const name = parseWith(userName, options.name ?? email.split('@')[0]);
  const store = await openStore(config.database);
  try {
    const now = new Date().toISOString();
    const record = (action: 'created' | 'promoted', user: User) =>
      store.activity.record({
        at: now,
        action: `admin.${action}`,
        actorId: null,
        targetType: 'user',
        targetId: user.id,
        ip: null,
        detail: { via: 'cli' },
      });
    const existing = await store.users.findByEmail(email);
    if (existing) {
      const user = await store.users.update(existing.id, { role: 'admin', active: true }, now);
      if (!user) throw new Error(`user ${existing.id} vanished`);
      await record('promoted', user);
      return { action: 'promoted', user, warnings: store.warnings };
    }
    const password = parseWith(newPassword, await options.password());
    const passwordHash = await createPasswordHasher({ cost: config.bcryptCost }).hash(password);
    const user = await store.users.create({
      id: randomUUID(),
      email,
      name,
      passwordHash,
      role: 'admin',
      active: true,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
    });
    await record('created', user);
    return { action: 'created', user, warnings: store.warnings };
  } finally {
    await store.close();
  }
}
