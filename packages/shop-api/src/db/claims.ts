import type { ClaimDecision } from '../domain/idempotency.js';
import type { ClaimResult } from './store.js';

/** The row a new or taken-over claim writes; a taken-over key forgets any answer it held. */
export function freshClaim(input: { fingerprint: string; claim: string; now: string; expiresAt: string }) {
  return {
    fingerprint: input.fingerprint,
    claim: input.claim,
    state: 'in_flight' as const,
    responseStatus: null,
    responseBody: null,
    createdAt: input.now,
    expiresAt: input.expiresAt,
  };
}

export function claimResult(decision: ClaimDecision, claim: string): ClaimResult {
  switch (decision.kind) {
    case 'insert':
    case 'take_over':
      return { kind: 'claimed', claim };
    case 'replay':
      return { kind: 'replay', response: { status: decision.status, body: decision.body } };
    default:
      return decision;
  }
}
