// The part of pg-native (node-postgres's libpq binding) that bank uses: its synchronous API.
declare module 'pg-native' {
  interface TypeParsers {
    getTypeParser(oid: number, format?: string): (value: string) => unknown;
  }
  interface Libpq {
    /** The fields of the last result's error (sqlState, constraintName, …), when it failed. */
    resultErrorFields(): Record<string, string | undefined> | null;
  }
  class Client {
    constructor(options?: { types?: TypeParsers });
    pq: Libpq;
    connectSync(params?: string): void;
    querySync(text: string, values?: readonly unknown[]): Record<string, unknown>[];
    prepareSync(name: string, text: string, nParams: number): void;
    executeSync(name: string, values: readonly unknown[]): Record<string, unknown>[];
    end(callback?: () => void): void;
  }
  export = Client;
}
