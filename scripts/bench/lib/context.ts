// What every benchmark shares: load settings, the figure printer, the bare-yoga baseline (measured once)
// and one Hangar with a signed-in administrator (started once), and the cleanup of all of it.
import { fileURLToPath } from 'node:url';
import { startServerProcess, type ServerProcess } from './child.ts';
import { benchDatabase, type BenchDatabase } from './database.ts';
import { gql, gqlHeaders } from './gql.ts';
import { measure, type LoadResult, type LoadSettings } from './load.ts';

export const ADMIN = { email: 'bench-admin@example.com', name: 'Bench Admin', password: 'a long bench password' };

export interface BenchHangar {
  url: string;
  database: BenchDatabase;
  /** `hangar_session=…` of the first administrator. */
  cookie: string;
  admin: typeof ADMIN;
}

export interface BenchContext {
  settings: LoadSettings;
  figure(name: string, value: number, unit: string): void;
  note(message: string): void;
  /** The bare graphql-yoga `{ hello }` server under the same load; measured on first call only. */
  baseline(): Promise<LoadResult>;
  hangar(): Promise<BenchHangar>;
  cleanup(): Promise<void>;
}

const script = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${raw}`);
  return value;
}

export function benchSettings(): LoadSettings {
  return {
    connections: Math.round(positive('BENCH_CONNECTIONS', 20)),
    durationSeconds: positive('BENCH_DURATION_SECONDS', 8),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', 2),
    pipelining: 1,
  };
}

export function formatFigure(value: number, unit: string): string {
  if (unit === 'rps') return value.toFixed(1);
  if (unit === 'ms') return value < 1 ? value.toFixed(4) : value.toFixed(2);
  return value.toFixed(3);
}

export function createBenchContext(settings: LoadSettings = benchSettings()): BenchContext {
  const cleanups: Array<() => Promise<void>> = [];
  let baseline: Promise<LoadResult> | undefined;
  let hangar: Promise<BenchHangar> | undefined;

  const note = (message: string) => process.stdout.write(`${message}\n`);
  const figure = (name: string, value: number, unit: string) => process.stdout.write(`figure ${name} ${formatFigure(value, unit)} ${unit}\n`);

  async function started(name: string, file: string, env: Record<string, string>): Promise<ServerProcess> {
    const server = await startServerProcess(name, script(file), env);
    cleanups.push(() => server.stop());
    return server;
  }

  async function measureBaseline(): Promise<LoadResult> {
    const server = await started('bare-yoga', 'bare-yoga-server.ts', { HOST: '127.0.0.1', PORT: '0' });
    const body = JSON.stringify({ query: '{ hello }' });
    const check = await gql(server.url, '{ hello }');
    if (check.status !== 200 || typeof check.body.data?.hello !== 'string') throw new Error(`baseline answered wrongly: ${check.status} ${check.text}`);
    note(`baseline: bare graphql-yoga at ${server.url} (pid ${server.pid}) answers ${check.text}`);
    const result = await measure({ name: 'baseline', url: `${server.url}/graphql`, body, headers: gqlHeaders(), expectBody: check.text }, settings);
    figure('baseline_rps', result.rps, 'rps');
    figure('baseline_p99_ms', result.p99Ms, 'ms');
    return result;
  }

  async function startHangar(): Promise<BenchHangar> {
    const database = await benchDatabase();
    cleanups.push(() => database.drop());
    note(`hangar database: ${database.description}`);
    const server = await started('hangar', 'hangar-server.ts', { LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', ...database.env });
    note(`hangar: API at ${server.url} (pid ${server.pid})`);

    const setup = await gql(server.url, `mutation($input: SetupAdministratorInput!) { setupAdministrator(input: $input) { __typename ... on Error { message } } }`, { input: ADMIN });
    if (setup.body.data?.setupAdministrator?.__typename !== 'User') throw new Error(`setupAdministrator failed: ${setup.status} ${setup.text}`);
    const login = await gql(server.url, `mutation($input: LoginInput!) { login(input: $input) { __typename ... on Error { message } } }`, { input: { email: ADMIN.email, password: ADMIN.password } });
    if (login.body.data?.login?.__typename !== 'LoginSuccess') throw new Error(`login failed: ${login.status} ${login.text}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    if (!cookie.startsWith('hangar_session=')) throw new Error(`login set no hangar_session cookie: ${login.headers.get('set-cookie')}`);
    return { url: server.url, database, cookie, admin: ADMIN };
  }

  return {
    settings,
    figure,
    note,
    baseline: () => (baseline ??= measureBaseline()),
    hangar: () => (hangar ??= startHangar()),
    cleanup: async () => {
      // Servers first (in reverse order of start), then the databases they used.
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (error) {
          process.stderr.write(`cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    },
  };
}
