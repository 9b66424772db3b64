// Starts a real Hangar (API on a random port) on a real database for a test, and talks to it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startHangar, type Hangar, type ProcessName } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';

export type Backend = 'postgres' | 'pglite';
export const BACKENDS: Backend[] = ['postgres', 'pglite'];

export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://hangar_test:hangar_test@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh, empty Postgres database; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hangar_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // Tried a few times (a backend of the stopped Hangar may still be going away), and the
    // connection always ends: one left open keeps the test file's process alive for ever (seen:
    // a full run hung 20 minutes after host-uri.test.ts's last test passed, its drop had failed).
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await c.connect();
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name} with (force)`);
            return;
          } catch (error) {
            if (attempt >= 5) throw error;
            await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}

export interface TestHangar {
  backend: Backend;
  url: string;
  hangar: Hangar;
  env: Record<string, string>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, auth?: Auth): Promise<GqlResponse<T>>;
  stop(): Promise<void>;
}

export interface Auth {
  cookie?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface GqlResponse<T> {
  status: number;
  data: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: string[] }>;
  headers: Headers;
}

export interface TestOptions {
  /** Processes to run; default the API only. */
  processes?: ProcessName[];
  /** Register the local libvirt as host `local` (as `start` does). */
  registerLocalHost?: boolean;
}

export async function startTestHangar(backend: Backend, env: Record<string, string> = {}, options: TestOptions = {}): Promise<TestHangar> {
  const database = backend === 'postgres' && !env.DATABASE_URL ? await freshPostgresDatabase() : null;
  const imageDir = await mkdtemp(join(tmpdir(), 'hangar-test-images-'));
  const fullEnv: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HANGAR_DATA_DIR: 'memory://',
    // Each instance its own image store, removed when it stops.
    HANGAR_IMAGE_DIR: imageDir,
    // Test files share one libvirt and its image pool: each would prune the others' cached
    // images, which its own catalogue does not list. image-cache.test.ts turns it on, on pools of its own.
    HANGAR_IMAGE_CACHE_PRUNE_SECONDS: '0',
    // No test reaches the vendors' mirrors; repositories.test.ts refreshes its own repositories by hand.
    HANGAR_REPOSITORY_REFRESH_SECONDS: '0',
    // The postgres backend runs as in production: with Redis carrying events.
    ...(backend === 'postgres' ? { REDIS_URL: TEST_REDIS_URL } : {}),
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...env,
  };
  // Test files run in parallel against one Redis: each database gets its own channels, as separate installations would.
  if (fullEnv.DATABASE_URL && !fullEnv.HANGAR_REDIS_CHANNEL_PREFIX) fullEnv.HANGAR_REDIS_CHANNEL_PREFIX = new URL(fullEnv.DATABASE_URL).pathname.slice(1);
  const config = loadConfig(fullEnv);
  const hangar = await startHangar(config, createLogger(config.logLevel), {
    migrate: true,
    processes: options.processes ?? ['api'],
    registerLocalHost: options.registerLocalHost ?? false,
  });
  const url = hangar.api!.url;
  return {
    backend,
    url,
    hangar,
    env: fullEnv,
    gql: (query, variables, auth) => graphql(url, query, variables, auth),
    stop: async () => {
      await hangar.stop();
      await database?.drop();
      await rm(imageDir, { recursive: true, force: true });
    },
  };
}

/** Starts one Hangar per backend before the tests of a describe block and stops it after. */
export function useTestHangar(backend: Backend, env: Record<string, string> = {}, options: TestOptions = {}): () => TestHangar {
  let instance: TestHangar | undefined;
  before(async () => {
    instance = await startTestHangar(backend, env, options);
  });
  after(async () => {
    await instance?.stop();
  });
  return () => instance!;
}

export async function graphql<T = any>(url: string, query: string, variables?: Record<string, unknown>, auth: Auth = {}): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-hangar-csrf': '1', ...auth.headers };
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { errors: [{ message: text }] };
  }
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

export const ADMIN = { email: 'admin@example.com', name: 'Ada Admin', password: 'correct horse battery' };

/** Creates the first administrator and returns their session cookie. */
export async function setupAdmin(t: TestHangar): Promise<string> {
  const setup = await t.gql(
    `mutation($input: SetupAdministratorInput!) { setupAdministrator(input: $input) { __typename ... on Error { message } } }`,
    { input: ADMIN },
  );
  if (setup.data?.setupAdministrator?.__typename !== 'User') throw new Error(`setup failed: ${JSON.stringify(setup)}`);
  return login(t, ADMIN.email, ADMIN.password);
}

/** A session of the first administrator, creating them on first use. */
export async function adminSession(t: TestHangar): Promise<string> {
  const { data } = await t.gql('{ setupRequired }');
  return data.setupRequired ? setupAdmin(t) : login(t, ADMIN.email, ADMIN.password);
}

export async function login(t: TestHangar, email: string, password: string): Promise<string> {
  const result = await t.gql(`mutation($input: LoginInput!) { login(input: $input) { __typename ... on Error { message } } }`, { input: { email, password } });
  if (result.data?.login?.__typename !== 'LoginSuccess') throw new Error(`login failed: ${JSON.stringify(result)}`);
  const cookie = result.headers.get('set-cookie');
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0];
}

export async function roleId(t: TestHangar, cookie: string, name: string): Promise<string> {
  const roles = await t.gql(`{ roles { edges { node { id name } } } }`, {}, { cookie });
  const role = roles.data.roles.edges.find((e: any) => e.node.name === name);
  if (!role) throw new Error(`no role ${name}`);
  return role.node.id;
}

let userCounter = 0;

/** Creates a user holding the given built-in role and returns their id and session cookie. */
export async function userWithRole(t: TestHangar, adminCookie: string, role: string): Promise<{ id: string; email: string; cookie: string }> {
  const email = `${role.toLowerCase()}-${++userCounter}-${randomBytes(3).toString('hex')}@example.com`;
  const password = 'a long enough password';
  const created = await t.gql(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on User { id } ... on Error { message } } }`,
    { input: { email, name: role, password, roleIds: [await roleId(t, adminCookie, role)] } },
    { cookie: adminCookie },
  );
  if (created.data?.createUser?.__typename !== 'User') throw new Error(`createUser failed: ${JSON.stringify(created)}`);
  return { id: created.data.createUser.id, email, cookie: await login(t, email, password) };
}

export function wsClient(url: string, auth: { token?: string; cookie?: string } = {}): Client {
  const wsUrl = url.replace(/^http/, 'ws') + '/graphql';
  return createClient({
    url: wsUrl,
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, auth.cookie ? { headers: { cookie: auth.cookie } } : {});
      }
    },
    connectionParams: auth.token ? { authToken: auth.token } : undefined,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Collects a subscription's events; `closed` resolves with the close error or null on completion. */
export function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: any[] = [];
  let notify: (() => void) | null = null;
  const closed = new Promise<unknown>((resolve) => {
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          events.push(value);
          notify?.();
        },
        error: (error) => resolve(error),
        complete: () => resolve(null),
      },
    );
  });
  let consumed = 0;
  return {
    events,
    closed,
    /** The next event not yet taken, waiting for it if it has not come. */
    async next(timeoutMs = 5000): Promise<any> {
      const start = Date.now();
      while (events.length <= consumed) {
        if (Date.now() - start > timeoutMs) throw new Error('no event in time');
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 50);
        });
      }
      return events[consumed++];
    },
  };
}
