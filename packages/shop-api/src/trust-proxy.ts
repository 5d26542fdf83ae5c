import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * SHOP_TRUST_PROXY, in the forms Fastify's `trustProxy` takes: which peers may tell us, in
 * X-Forwarded-For, who the client is. false (the default): none, the socket's address is the client.
 * A list: those addresses and CIDR ranges (and proxy-addr's names loopback, linklocal, uniquelocal);
 * the client is the first address, from the right, that is not one of them. A hop count n: the
 * n-th address from the right. true: every hop, so the leftmost address, which the client wrote.
 */
export type TrustProxy = boolean | number | string[];

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const HINT = '(use true, false, a hop count, or addresses and CIDR ranges separated by commas)';

export const trustProxySchema = z
  .string()
  .optional()
  .transform((raw, ctx): TrustProxy => {
    const value = (raw ?? '').trim();
    if (value === '' || /^false$/i.test(value)) return false;
    if (/^true$/i.test(value)) return true;
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1) return hops;
      ctx.addIssue({ code: 'custom', message: `a hop count must be at least 1 ${HINT}` });
      return z.NEVER;
    }
    const entries = value.split(',').map((entry) => entry.trim());
    const bad = entries.find((entry) => !isAddressOrRange(entry));
    if (bad === undefined) return entries;
    ctx.addIssue({
      code: 'custom',
      message: `"${bad}" is not an IP address, a CIDR range or ${[...NAMES].join(', ')} ${HINT}`,
    });
    return z.NEVER;
  });

/**
 * What to hand Fastify. Fastify 5.12 ignores a numeric trustProxy (it fails closed, since a hop count
 * cannot tell a proxy from a client that connects directly); this keeps the documented meaning,
 * proxy-addr's: the nearest `n` hops are proxies. Safe only where clients cannot reach the server
 * except through them.
 */
export function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

function isAddressOrRange(entry: string): boolean {
  if (NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
