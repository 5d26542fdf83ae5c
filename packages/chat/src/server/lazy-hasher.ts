import { DEFAULT_BCRYPT_COST, type PasswordHasher } from '@quartet/core/password';

/** bcrypt is loaded on the first OPER or account password, not at start: most servers rarely see one. */
export function lazyHasher(cost: number = DEFAULT_BCRYPT_COST): PasswordHasher {
  let hasher: Promise<PasswordHasher> | undefined;
  const get = () =>
    (hasher ??= import('@quartet/core/password').then(({ createPasswordHasher }) => createPasswordHasher({ cost })));
  return {
    cost,
    hash: async (password) => (await get()).hash(password),
    verify: async (password, hash) => (await get()).verify(password, hash),
    verifyDummy: async (password) => (await get()).verifyDummy(password),
  };
}
