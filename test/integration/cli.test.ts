import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { graphql } from '../support/hangar.ts';

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;

function hangarEnv(dataDir: string, extra: Record<string, string> = {}) {
  // No pruning of the shared libvirt's image cache (see test/support/hangar.ts).
  return { ...process.env, HANGAR_DATA_DIR: dataDir, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '', HANGAR_IMAGE_CACHE_PRUNE_SECONDS: '0', ...extra };
}

test('a wrong setting stops the CLI with one line naming it', () => {
  const result = spawnSync(process.execPath, [MAIN, 'migrate'], { env: hangarEnv('memory://', { PORT: 'abc' }), encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /^Invalid configuration: PORT:/);
});

test('`hangar migrate` and `hangar user create --admin` prepare an embedded database from the shell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-cli-'));
  try {
    const migrate = spawnSync(process.execPath, [MAIN, 'migrate'], { env: hangarEnv(dir), encoding: 'utf8' });
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.match(migrate.stdout, /applied: 0001_control_plane/);
    const create = spawnSync(process.execPath, [MAIN, 'user', 'create', '--admin', '--email', 'root@example.com', '--name', 'Root', '--password-stdin'], {
      env: hangarEnv(dir),
      input: 'a long enough password\n',
      encoding: 'utf8',
    });
    assert.equal(create.status, 0, create.stderr);
    assert.match(create.stdout, /created administrator root@example.com/);
    const duplicate = spawnSync(process.execPath, [MAIN, 'user', 'create', '--email', 'ROOT@example.com', '--name', 'Again'], {
      env: hangarEnv(dir, { HANGAR_USER_PASSWORD: 'a long enough password' }),
      encoding: 'utf8',
    });
    assert.equal(duplicate.status, 1);
    assert.match(duplicate.stderr, /already exists/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM: in-flight requests finish, sockets close with 1001, the process exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-stop-'));
  const child = spawn(process.execPath, [MAIN, 'start'], { env: hangarEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const socket = new WebSocket(url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    const socketClosed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    // Hashing the password keeps this request busy while the signal arrives.
    const inFlight = graphql(url, 'mutation { setupAdministrator(input: { email: "a@example.com", name: "A", password: "a long enough password" }) { __typename } }');
    await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.data.setupAdministrator.__typename, 'User');
    assert.equal(await socketClosed, 1001);
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
