import { createRequire } from 'node:module';

/** The part of pg-native's synchronous client that bank's PostgreSQL session calls (see its connection.ts). */
export interface NativeClient {
  connectSync(params: string): void;
  // Properties, not methods: the statement capture takes them off the prototype and calls them with `this` bound.
  querySync: (this: NativeClient, text: string, values?: readonly unknown[]) => unknown[];
  prepareSync: (this: NativeClient, name: string, text: string, nParams: number) => void;
  executeSync: (this: NativeClient, name: string, values: readonly unknown[]) => unknown[];
  end(): void;
  /** libpq itself: the last result's error fields (sqlState, …) when it failed. */
  pq: { resultErrorFields(): Record<string, string | undefined> | null };
}

export type NativeClientClass = (new () => NativeClient) & { prototype: NativeClient };

/**
 * pg-native resolved from bank's own package, so it is the very module instance bank loads: wrapping its prototype
 * sees every statement bank sends.
 */
export function loadPgNative(): NativeClientClass {
  return createRequire(import.meta.resolve('@quartet/bank-cli'))('pg-native') as NativeClientClass;
}
