// An in-process Hangar (API + worker, local libvirt as host `local`) on a fresh Postgres database
// and Redis, signed in as an administrator: what the benchmarks on real libvirt drive.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { startHangar, type Hangar } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/log.ts';
import { ADMIN } from './context.ts';
import { benchDatabase } from './database.ts';
import { gql, type GqlReply } from './gql.ts';
import { domState, virsh, waitFor } from '../../../test/support/libvirt.ts';

export const LIBVIRT_URI = 'qemu:///system';

// The same libvirt probes the tests use.
export { domState, virsh, waitFor };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `virsh domstate` asked of one long-lived `virsh` reading commands from its stdin, so polling
 * starts no process: a spawn from this process (Hangar runs in it, hundreds of MB) blocks its
 * event loop for tens of milliseconds, which would slow the Hangar under test, not libvirt.
 */
export class DomainStateProbe {
  private readonly child: ChildProcessWithoutNullStreams;
  private out = '';
  private err = '';
  private count = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | null = null;

  constructor(uri = LIBVIRT_URI) {
    // TERM=dumb and a wide COLUMNS: the echo of each typed line stays one plain line.
    this.child = spawn('virsh', ['--quiet', '-c', uri], { env: { ...process.env, LC_ALL: 'C', TERM: 'dumb', COLUMNS: '100000', XDG_CACHE_HOME: '/dev/null' } });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((this.out += chunk), this.wake?.()));
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((this.err += chunk), this.wake?.()));
    this.child.on('close', () => this.wake?.());
  }

  /** The state `virsh domstate` prints, or null when there is no such domain. */
  state(domain: string): Promise<string | null> {
    if (!/^[A-Za-z0-9._-]+$/.test(domain)) throw new Error(`odd domain name ${domain}`);
    const asked = this.chain.then(async () => {
      const token = `probe-${process.pid}-${this.count++}`;
      const outEnd = `echo ${token}\n${token}`;
      const errEnd = `error: ${token}\n`;
      this.child.stdin.write(`domstate ${domain}\necho --err ${token}\necho ${token}\n`);
      while (!(this.out.includes(outEnd) && this.err.includes(errEnd))) {
        if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`the domstate probe ended: ${this.err}`);
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      // stdout: "<prompt>domstate NAME\n<state>\n\n<prompt>echo --err …"; a missing domain only writes to stderr.
      const [, answer = ''] = this.out.slice(0, this.out.indexOf(outEnd)).split('\n');
      const failed = this.err.slice(0, this.err.indexOf(errEnd)).trim() !== '';
      this.out = this.out.slice(this.out.indexOf(outEnd) + outEnd.length);
      this.err = this.err.slice(this.err.indexOf(errEnd) + errEnd.length);
      return failed ? null : answer.trim();
    });
    this.chain = asked.catch(() => {});
    return asked;
  }

  close(): void {
    this.child.stdin.end();
  }
}

/**
 * Milliseconds from `action` being called until the domain (known once the action names it) runs,
 * polling domstate meanwhile (with `probe`, through it; otherwise one `virsh` process per poll).
 */
export async function timeToRunning(domain: () => string | null, action: () => Promise<unknown>, timeoutMs = 120_000, pollMs = 10, probe?: DomainStateProbe): Promise<number> {
  const started = performance.now();
  let failure: unknown = null;
  const acted = action().catch((error: unknown) => {
    failure = error;
  });
  for (;;) {
    if (failure) throw failure;
    const name = domain();
    if (name && (await (probe ? probe.state(name) : domState(name))) === 'running') break;
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
    // The bench's catalogue is not the machine's: leave the image cache tests and earlier runs made.
    HANGAR_IMAGE_CACHE_PRUNE_SECONDS: '0',
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
          return task && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(task.status) ? task : null;
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
