import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The part of node-postgres (the `pg` package) the bench uses. */
export interface PgClient {
  connect(): Promise<void>;
  query(text: string, values?: readonly unknown[]): Promise<unknown>;
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<unknown>;
  end(): Promise<void>;
}

/**
 * node-postgres, resolved through @quartet/core, which depends on it: the bench's own package list (the root
 * package.json) does not name `pg` yet. Once it does, this becomes `import pg from 'pg'`.
 */
export function newPgClient(root: string, connectionString: string): PgClient {
  const pg = createRequire(join(root, 'packages/core/package.json'))('pg') as {
    Client: new (config: { connectionString: string }) => PgClient;
  };
  return new pg.Client({ connectionString });
}
