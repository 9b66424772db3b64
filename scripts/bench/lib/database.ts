// The database a benchmarked Hangar runs on: a fresh Postgres database when Postgres is reachable,
// embedded PGlite in memory otherwise.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://hangar_test:hangar_test@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  /** Environment for the Hangar process. */
  env: Record<string, string>;
  /** For printing; no password. */
  description: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function benchDatabase(): Promise<BenchDatabase> {
  const name = `hangar_bench_${randomBytes(6).toString('hex')}`;
  try {
    await withAdmin((c) => c.query(`create database ${name}`));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'pglite',
      env: { HANGAR_DATA_DIR: 'memory://' },
      description: `embedded PGlite in memory (Postgres at ${redact(BENCH_POSTGRES_URL)} not usable: ${reason})`,
      drop: async () => {},
    };
  }
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    description: `Postgres, fresh database ${name} at ${redact(BENCH_POSTGRES_URL)}`,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

function redact(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}
