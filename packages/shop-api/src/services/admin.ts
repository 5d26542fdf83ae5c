import { ForbiddenError, NotFoundError } from '@quartet/core';
import type { Page, PageRequest, Role, User } from '../domain/types.js';
import { audit, nowIso, type Actor, type ServiceContext } from './context.js';

export function createAdminService(ctx: ServiceContext) {
  const { store } = ctx;
  return {
    listUsers: (filter: { role?: Role | undefined; active?: boolean | undefined } & PageRequest): Promise<Page<User>> =>
      store.users.list(filter),

    async updateUser(actor: Actor, id: string, patch: { role?: Role; active?: boolean }): Promise<User> {
      // The last administrator must not be able to lock everyone out, so nobody may lock themselves out.
      if (id === actor.id && (patch.active === false || patch.role === 'customer')) {
        throw new ForbiddenError('administrators cannot deactivate or demote themselves', 'SELF_LOCKOUT');
      }
      const now = nowIso(ctx);
      // Deactivation also ends the access tokens issued so far, so a later reactivation does not revive them.
      const user = await store.users.update(id, { ...patch, endAccessTokens: patch.active === false }, now);
      if (!user) throw new NotFoundError('user not found', 'USER_NOT_FOUND');
      if (patch.active === false) await store.tokens.revokeAllForUser(id, now);
      await audit(ctx, 'admin.user_updated', {
        actorId: actor.id,
        ip: actor.ip,
        targetType: 'user',
        targetId: id,
        detail: patch,
      });
      return user;
    },

    stats: () => store.stats(ctx.lowStockThreshold),

    activity: (filter: { action?: string | undefined } & PageRequest) => store.activity.list(filter),
  };
}
