// An in-process Hangar (API + worker, local libvirt as host `local`) on a fresh Postgres database
// and Redis, signed in as an administrator: what the benchmarks on real libvirt drive.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startHangar, type Hangar } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/log.ts';
import { ADMIN } from './context.ts';
import { benchDatabase } from './database.ts';
import { gql, type GqlReply } from './gql.ts';

export const LIBVIRT_URI = 'qemu:///system';
const run = promisify(execFile);

export async function virsh(...args: string[]): Promise<string> {
  const { stdout } = await run('virsh', ['-c', LIBVIRT_URI, ...args], { env: { ...process.env, LC_ALL: 'C' } });
  return stdout.trim();
}

export async function domState(id: string): Promise<string | null> {
  try {
    return await virsh('domstate', id);
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Milliseconds from `action` being called until the domain (known once the action names it) runs, polling domstate meanwhile. */
export async function timeToRunning(domain: () => string | null, action: () => Promise<unknown>, timeoutMs = 120_000, pollMs = 10): Promise<number> {
  const started = performance.now();
  let failure: unknown = null;
  const acted = action().catch((error: unknown) => {
    failure = error;
  });
  for (;;) {
    if (failure) throw failure;
    const name = domain();
    if (name && (await domState(name)) === 'running') break;
    if (performance.now() - started > timeoutMs) throw new Error(`${name ?? 'the domain'} not running within ${timeoutMs} ms`);
    await sleep(pollMs);
  }
  const elapsed = performance.now() - started;
  await acted;
  if (failure) throw failure;
  return elapsed;
}

export function payloadOf(reply: GqlReply): any {
  const payload = Object.values(reply.body.data ?? {})[0] as any;
  if (reply.body.errors || !payload?.task?.id) throw new Error(`mutation failed: ${reply.status} ${reply.text}`);
  return payload;
}

export interface LibvirtHangar {
  hangar: Hangar;
  url: string;
  cookie: string;
  call(query: string, variables?: Record<string, unknown>): Promise<GqlReply>;
  /** The finished task (SUCCEEDED or FAILED). */
  taskDone(taskId: string, timeoutMs?: number, everyMs?: number): Promise<{ id: string; status: string; error: string | null }>;
  stop(): Promise<void>;
}

export async function startLibvirtHangar(env: Record<string, string> = {}): Promise<LibvirtHangar> {
  const database = await benchDatabase();
  if (database.kind !== 'postgres') throw new Error(`benchmarks on libvirt need a real Postgres: ${database.description}`);
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const config = loadConfig({
    ...database.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    HANGAR_DATA_DIR: 'memory://',
    REDIS_URL: redisUrl,
    HANGAR_REDIS_CHANNEL_PREFIX: new URL(database.env.DATABASE_URL).pathname.slice(1),
    HANGAR_RECONCILE_SECONDS: '5',
    ...env,
  });
  let hangar: Hangar;
  try {
    hangar = await startHangar(config, createLogger(config.logLevel), { migrate: true, processes: ['api', 'worker'], registerLocalHost: true });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const url = hangar.api!.url;
  const setup = await gql(url, `mutation($input: SetupAdministratorInput!) { setupAdministrator(input: $input) { __typename ... on Error { message } } }`, { input: ADMIN });
  if (setup.body.data?.setupAdministrator?.__typename !== 'User') throw new Error(`setupAdministrator failed: ${setup.status} ${setup.text}`);
  const login = await gql(url, `mutation($input: LoginInput!) { login(input: $input) { __typename ... on Error { message } } }`, { input: { email: ADMIN.email, password: ADMIN.password } });
  if (login.body.data?.login?.__typename !== 'LoginSuccess') throw new Error(`login failed: ${login.status} ${login.text}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const call = (query: string, variables?: Record<string, unknown>) => gql(url, query, variables, cookie);
  return {
    hangar,
    url,
    cookie,
    call,
    taskDone: (taskId, timeoutMs = 120_000, everyMs = 50) =>
      waitFor(
        `task ${taskId}`,
        async () => {
          const task = (await call(`query($id: ID!) { node(id: $id) { ... on Task { id status error } } }`, { id: taskId })).body.data?.node;
          return task && ['SUCCEEDED', 'FAILED'].includes(task.status) ? task : null;
        },
        timeoutMs,
        everyMs,
      ),
    async stop() {
      await hangar.stop();
      await database.drop();
    },
  };
}
