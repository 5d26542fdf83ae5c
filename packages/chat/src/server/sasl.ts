import { foldCase } from '../protocol/casemap.js';

/** One AUTHENTICATE line carries at most this many bytes of base64; a full one means more follows. */
export const SASL_CHUNK = 400;
/** PLAIN's three fields fit well within this (a 72-byte password, two names of at most 30). */
const SASL_MAX = 4 * SASL_CHUNK;

export const SASL_MECHANISMS = ['PLAIN'] as const;

/** A SASL exchange in progress: the base64 received so far. */
export interface SaslSession {
  data: string;
}

export type ChunkResult =
  { readonly kind: 'more' } | { readonly kind: 'tooLong' } | { readonly kind: 'done'; readonly payload: string };

/** Add one AUTHENTICATE chunk: `+` alone ends a payload that filled its last chunk (or an empty one). */
export function addChunk(session: SaslSession, chunk: string): ChunkResult {
  if (chunk.length > SASL_CHUNK) return { kind: 'tooLong' };
  if (chunk !== '+') session.data += chunk;
  if (session.data.length > SASL_MAX) return { kind: 'tooLong' };
  if (chunk.length === SASL_CHUNK) return { kind: 'more' };
  return { kind: 'done', payload: session.data };
}

/** PLAIN's `authzid NUL authcid NUL password`, from base64; undefined when malformed or authzid names someone else. */
export function decodePlain(base64: string): { readonly account: string; readonly password: string } | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) return undefined;
  const fields = Buffer.from(base64, 'base64').toString('utf8').split('\0');
  if (fields.length !== 3) return undefined;
  const [authzid = '', authcid = '', password = ''] = fields;
  if (authcid === '' || password === '') return undefined;
  // Logging in as oneself only: nobody here may act for another account.
  if (authzid !== '' && foldCase(authzid) !== foldCase(authcid)) return undefined;
  return { account: authcid, password };
}
