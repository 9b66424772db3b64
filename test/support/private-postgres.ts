// A private Postgres cluster (initdb into a temp dir, a free port on 127.0.0.1) for tests that
// restart or kill Postgres: the shared cluster on 5432 serves every other test at the same moment.
// Postgres refuses to run as root, so the cluster belongs to the `postgres` user when we are root.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './private-redis.ts';

const run = promisify(execFile);
const BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  /** postgres://… of the database `hangar` (superuser `postgres`, trust on 127.0.0.1). */
  url: string;
  port: number;
  /** pg_ctl restart -m fast: every session is ended, the cluster is back when this returns. */
  restart(): Promise<void>;
  /** SIGKILL to the postmaster (its backends end with it), then a start: a crash, not a shutdown. */
  crashAndStart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster and removes its directory. */
  remove(): Promise<void>;
}

async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const owner = await postgresUser();
  if (owner) {
    await chown(dir, owner.uid, owner.gid);
    await chmod(dir, 0o700);
  }
  // As the cluster's owner (runuser when we are root).
  const as = (program: string, args: string[]) =>
    owner ? run('runuser', ['-u', 'postgres', '--', join(BIN, program), ...args], { cwd: dir }) : run(join(BIN, program), args, { cwd: dir });
  await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  // Fast and private: no fsync (the data is thrown away), no unix socket in /var/run.
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = async () => {
    await as('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', join(dir, 'log'), '-o', options]);
  };
  const stop = async () => {
    await as('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', data]).catch(() => {});
  };
  await start();
  await as('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qAtc', 'create database hangar', 'postgres']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/hangar`,
    port,
    start,
    stop,
    restart: async () => {
      await as('pg_ctl', ['restart', '-w', '-t', '60', '-m', 'fast', '-D', data, '-l', join(dir, 'log'), '-o', options]);
    },
    crashAndStart: async () => {
      const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      // The backends notice their postmaster is gone and exit; the new postmaster waits for them.
      for (let i = 0; i < 100; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await start();
    },
    remove: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
