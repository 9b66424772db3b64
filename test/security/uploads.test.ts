// Upload abuse: a caller without Image.Create must not get a byte onto the disk, nobody may hold
// more than a few uploads open (per user and in all), and no error path leaves a partial file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { setupAdmin, useTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

const UPLOAD = 'mutation($input: ImageInput!, $file: Upload!) { uploadImage(input: $input, file: $file) { __typename ... on Error { message } } }';
const MAX_BYTES = 1024 * 1024;

interface OpenUpload {
  req: ClientRequest;
  response: Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  write(bytes: Buffer): Promise<void>;
  finish(): void;
  abort(): void;
}

/** A multipart upload on its own connection, sent piece by piece (so it can be held open or cut). */
function openUpload(t: TestHangar, cookie: string, name = 'Upload'): OpenUpload {
  const boundary = `----hangar${randomBytes(8).toString('hex')}`;
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: UPLOAD, variables: { input: { name }, file: null } })}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="disk.img"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const url = new URL(`${t.url}/graphql`);
  const req = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    agent: false,
    headers: { cookie, 'x-hangar-csrf': '1', 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  req.on('error', () => {}); // a refused upload may close the connection while we still write
  const response = new Promise<{ status: number; body: any; headers: Record<string, unknown> }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: any = text;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
      res.on('error', reject);
    });
  });
  req.write(head);
  return {
    req,
    response,
    // Resolves when written, or when the server closed the connection instead of reading on.
    write: (bytes) =>
      new Promise<void>((resolve) => {
        if (req.destroyed) return resolve();
        if (req.write(bytes)) return resolve();
        req.once('drain', resolve);
        req.once('close', resolve);
      }),
    finish: () => req.end(`\r\n--${boundary}--\r\n`),
    abort: () => req.destroy(),
  };
}

/** The answer, which must come while the body is still being sent (a refusal reads no body). */
function answerInTime<T>(response: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms: the server waits for the body`)), ms)));
  return Promise.race([response, late]).finally(() => clearTimeout(timer));
}

const incomingOf = (t: TestHangar) => join(t.env.HANGAR_IMAGE_DIR, 'incoming');
const filesIn = async (dir: string) => (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => e.name);

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every file name that appears in dir (or changes) while it is watched. */
function watchDir(dir: string): { seen: string[]; watcher: FSWatcher } {
  mkdirSync(dir, { recursive: true });
  const seen: string[] = [];
  const watcher = watch(dir, (_event, name) => seen.push(String(name)));
  return { seen, watcher };
}

describe('upload abuse', () => {
  const hangar = useTestHangar('postgres', { HANGAR_UPLOAD_MAX_CONCURRENT: '3', HANGAR_UPLOAD_MAX_CONCURRENT_PER_USER: '2', HANGAR_IMAGE_MAX_BYTES: String(MAX_BYTES) });
  let admin: string;
  let operator: { cookie: string };
  let operator2: { cookie: string };
  let auditor: { cookie: string };

  before(async () => {
    const t = hangar();
    admin = await setupAdmin(t);
    operator = await userWithRole(t, admin, 'Operator');
    operator2 = await userWithRole(t, admin, 'Operator');
    auditor = await userWithRole(t, admin, 'Auditor');
  });

  test('a caller without Image.Create is refused before any byte of the body reaches the disk', async () => {
    const t = hangar();
    const { seen, watcher } = watchDir(incomingOf(t));
    const upload = openUpload(t, auditor.cookie, 'Not mine to make');
    try {
      await upload.write(randomBytes(64 * 1024));
      // The answer comes while the file is still being sent: nothing waits for the body.
      const { status, body } = await answerInTime(upload.response, 'an upload without Image.Create');
      assert.equal(status, 403, JSON.stringify(body));
      assert.equal(body.errors[0].extensions.code, 'FORBIDDEN');
      assert.match(body.errors[0].message, /Image\.Create/);
      await upload.write(randomBytes(512 * 1024));
      upload.abort();
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(seen, [], 'a file was created in the image store');
      assert.deepEqual(await filesIn(incomingOf(t)), []);
      assert.equal((await t.hangar.db.selectFrom('images').select('id').execute()).length, 0);
    } finally {
      upload.abort();
      watcher.close();
    }
  });

  test('uploads in progress are capped per user and in all (429), and a slot frees when an upload ends', async () => {
    const t = hangar();
    const incoming = incomingOf(t);
    const open: OpenUpload[] = [];
    const hold = async (cookie: string) => {
      const before = (await filesIn(incoming)).length;
      const upload = openUpload(t, cookie);
      await upload.write(randomBytes(64 * 1024));
      await waitFor('the upload to reach the disk', async () => (await filesIn(incoming)).length > before);
      open.push(upload);
      return upload;
    };
    try {
      const a1 = await hold(admin);
      await hold(admin);
      const third = openUpload(t, admin);
      open.push(third);
      const refused = await answerInTime(third.response, 'a third upload of one user');
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.equal(refused.body.errors[0].extensions.code, 'TOO_MANY_REQUESTS');
      assert.match(refused.body.errors[0].message, /HANGAR_UPLOAD_MAX_CONCURRENT_PER_USER/);
      assert.ok(refused.headers['retry-after']);

      // Another user still may, until the server's total is reached.
      await hold(operator.cookie);
      const overTotal = openUpload(t, operator2.cookie);
      open.push(overTotal);
      const full = await answerInTime(overTotal.response, 'an upload over the server\u2019s total');
      assert.equal(full.status, 429, JSON.stringify(full.body));
      assert.match(full.body.errors[0].message, /HANGAR_UPLOAD_MAX_CONCURRENT\)/);

      // One upload ends (cut off): its slot is free again and its partial file is gone.
      third.abort();
      overTotal.abort();
      a1.abort();
      await waitFor('the cut upload\u2019s file to be removed', async () => (await filesIn(incoming)).length === 2);
      const again = openUpload(t, operator2.cookie, 'Second chance');
      await again.write(Buffer.from('not an image at all\n'.repeat(50)));
      again.finish();
      const accepted = await again.response;
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.data.uploadImage.__typename, 'ImageRejectedError');
    } finally {
      for (const upload of open) upload.abort();
    }
    await waitFor('every partial file to be removed', async () => (await filesIn(incoming)).length === 0);
  });

  test('no error path leaves a file: cut connection, over the size limit, refused mutation, invalid image', async () => {
    const t = hangar();
    const incoming = incomingOf(t);

    const cut = openUpload(t, operator.cookie);
    await cut.write(randomBytes(256 * 1024));
    await waitFor('the upload to reach the disk', async () => (await filesIn(incoming)).length === 1);
    cut.abort();
    await waitFor('the cut upload\u2019s file to be removed', async () => (await filesIn(incoming)).length === 0);

    const big = openUpload(t, operator.cookie);
    await big.write(randomBytes(MAX_BYTES + 64 * 1024));
    big.finish();
    const tooLarge = await big.response;
    assert.equal(tooLarge.status, 413, JSON.stringify(tooLarge.body));
    await waitFor('the oversized file to be removed', async () => (await filesIn(incoming)).length === 0);

    const invalidInput = openUpload(t, operator.cookie, '   ');
    await invalidInput.write(randomBytes(64 * 1024));
    invalidInput.finish();
    const refused = await invalidInput.response;
    assert.equal(refused.body.data.uploadImage.__typename, 'ValidationError', JSON.stringify(refused.body));

    const garbage = openUpload(t, operator.cookie, 'Garbage');
    await garbage.write(randomBytes(64 * 1024));
    garbage.finish();
    const rejected = await garbage.response;
    assert.equal(rejected.body.data.uploadImage.__typename, 'ImageRejectedError', JSON.stringify(rejected.body));

    await waitFor('every temp file to be removed', async () => (await filesIn(incoming)).length === 0);
    const store = (await readdir(t.env.HANGAR_IMAGE_DIR, { withFileTypes: true })).filter((e) => e.isFile());
    assert.deepEqual(store, []);
    assert.equal((await t.hangar.db.selectFrom('images').select('id').execute()).length, 0);
  });
});
