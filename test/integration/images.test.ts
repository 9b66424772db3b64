// The image catalog: streamed multipart uploads checked before they are accepted, imports from a
// URL with the address policy, visibility and sharing, and deletion rules. Real qemu-img files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { downloadFile } from '../../server/jobs/image-download.ts';
import { BACKENDS, setupAdmin, useTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

const IMAGE = 'id name status statusMessage format sha256 virtualSizeBytes fileSizeBytes source visibility cloudInit defaultUser';
const UPLOAD = `mutation($input: ImageInput!, $file: Upload!) { uploadImage(input: $input, file: $file) { __typename ... on Image { ${IMAGE} } ... on ImageRejectedError { reason } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;
const IMPORT = `mutation($input: ImageInput!, $url: String!) { importImage(input: $input, url: $url) { __typename ... on ImportImagePayload { image { ${IMAGE} } task { id status } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;

let dir: string;
let qcow2: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hangar-images-test-'));
  qcow2 = join(dir, 'small.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', qcow2, '64M']);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256Of = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];

async function upload(t: TestHangar, cookie: string, path: string, input: Record<string, unknown>, headers: Record<string, string> = { 'x-hangar-csrf': '1' }) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: UPLOAD, variables: { input, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', await openAsBlob(path), basename(path));
  // A request refused on its headers may be answered and closed while its body is still being sent:
  // the client then sees EPIPE (or a reset) instead of the answer, so it asks again (a refusal changes nothing).
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${t.url}/graphql`, { method: 'POST', body: form, headers: { cookie, ...headers } });
      return { status: response.status, body: (await response.json()) as any };
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (attempt >= 3 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw error;
    }
  }
}

/** Files in the store and in incoming/ (the latter is emptied once a request has ended). */
async function storeFiles(t: TestHangar): Promise<{ store: string[]; incoming: string[] }> {
  const imageDir = t.env.HANGAR_IMAGE_DIR;
  const list = async (d: string) => (await readdir(d, { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => e.name);
  // Temp files go when the response has closed: give that a moment.
  for (let i = 0; i < 20 && (await list(join(imageDir, 'incoming'))).length; i++) await new Promise((r) => setTimeout(r, 50));
  return { store: await list(imageDir), incoming: await list(join(imageDir, 'incoming')) };
}

const imageCount = async (t: TestHangar) => Number((await t.hangar.db.selectFrom('images').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

for (const backend of BACKENDS) {
  describe(`image uploads [${backend}]`, () => {
    const hangar = useTestHangar(backend);
    let admin: string;
    let alice: { id: string; cookie: string };
    let bob: { id: string; cookie: string };
    before(async () => {
      admin = await setupAdmin(hangar());
      alice = await userWithRole(hangar(), admin, 'User');
      bob = await userWithRole(hangar(), admin, 'User');
    });

    test('a qcow2 streamed through a multipart request becomes a ready image in the store', async () => {
      const t = hangar();
      const { status, body } = await upload(t, alice.cookie, qcow2, { name: 'Small', osFamily: 'debian', cloudInit: true, defaultUser: 'debian' });
      assert.equal(status, 200, JSON.stringify(body));
      const image = body.data.uploadImage;
      assert.equal(image.__typename, 'Image', JSON.stringify(body));
      assert.deepEqual([image.status, image.format, image.visibility, image.source, image.cloudInit, image.defaultUser], ['READY', 'QCOW2', 'PRIVATE', 'upload:small.qcow2', true, 'debian']);
      assert.equal(image.virtualSizeBytes, 64 * 1024 ** 2);
      assert.equal(image.sha256, await sha256Of(qcow2));
      const stored = join(t.env.HANGAR_IMAGE_DIR, `${rawId(image.id)}.qcow2`);
      assert.equal(await sha256Of(stored), image.sha256);
      assert.deepEqual((await storeFiles(t)).incoming, []);
    });

    test('a text file, a qcow2 with a backing file and a forged token are refused; nothing is kept', async () => {
      const t = hangar();
      const before = { count: await imageCount(t), files: await storeFiles(t) };
      const text = join(dir, 'notes.txt');
      await writeFile(text, 'just some text\n'.repeat(100));
      const backed = join(dir, 'backed.qcow2');
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', '/etc/hostname', '-F', 'raw', backed]);
      for (const [path, reason] of [
        [text, 'NOT_AN_IMAGE'],
        [backed, 'BACKING_FILE'],
      ]) {
        const { status, body } = await upload(t, alice.cookie, path, { name: 'Bad' });
        assert.equal(status, 200);
        assert.equal(body.data.uploadImage.__typename, 'ImageRejectedError', JSON.stringify(body));
        assert.equal(body.data.uploadImage.reason, reason);
        assert.ok(body.data.uploadImage.message.length > 10);
      }
      // A JSON request cannot name a file: any token is refused.
      const forged = await t.gql(UPLOAD, { input: { name: 'Forged' }, file: 'upload-abcdef' }, { cookie: alice.cookie });
      assert.equal(forged.data.uploadImage.__typename, 'ValidationError', JSON.stringify(forged));
      assert.deepEqual(forged.data.uploadImage.fieldErrors[0].path, ['file']);
      // Invalid metadata: the (valid) file is not kept either.
      const invalid = await upload(t, alice.cookie, qcow2, { name: '   ' });
      assert.equal(invalid.body.data.uploadImage.__typename, 'ValidationError', JSON.stringify(invalid.body));
      assert.equal(await imageCount(t), before.count);
      assert.deepEqual(await storeFiles(t), before.files);
    });

    test('a cookie-authenticated multipart request needs the CSRF header; anonymous uploads are refused', async () => {
      const t = hangar();
      const count = await imageCount(t);
      const { status, body } = await upload(t, alice.cookie, qcow2, { name: 'Cross-site' }, {});
      assert.equal(status, 403);
      assert.equal(body.errors[0].extensions.code, 'CSRF');
      const anonymous = await upload(t, '', qcow2, { name: 'Anonymous' });
      assert.equal(anonymous.status, 401);
      assert.equal(await imageCount(t), count);
      assert.deepEqual((await storeFiles(t)).incoming, []);
    });

    test('visibility: private to its owner until shared; public needs Image.Manage', async () => {
      const t = hangar();
      const { body } = await upload(t, alice.cookie, qcow2, { name: 'Alice private' });
      const id = body.data.uploadImage.id;
      const node = (cookie: string) => t.gql(`query($id: ID!) { node(id: $id) { ... on Image { name sharedWith { id } } } }`, { id }, { cookie });
      const listed = async (cookie: string) => (await t.gql('{ images(first: 200) { edges { node { id } } } }', {}, { cookie })).data.images.edges.some((e: any) => e.node.id === id);

      const hidden = await node(bob.cookie);
      assert.equal(hidden.data.node, null);
      assert.equal(hidden.errors?.[0].extensions?.code, 'NOT_FOUND');
      assert.equal(await listed(bob.cookie), false);
      assert.equal(await listed(alice.cookie), true);
      assert.equal(await listed(admin), true, 'Image.Manage sees every image');
      // Bob cannot change or share what he cannot see.
      const bobShare = await t.gql('mutation($id: ID!) { shareImage(id: $id, visibility: PRIVATE) { __typename } }', { id }, { cookie: bob.cookie });
      assert.equal(bobShare.data.shareImage.__typename, 'NotFoundError');

      const share = await t.gql(
        'mutation($id: ID!, $users: [ID!]) { shareImage(id: $id, visibility: SHARED, userIds: $users) { __typename ... on Image { visibility } ... on Error { message } } }',
        { id, users: [bob.id] },
        { cookie: alice.cookie },
      );
      assert.equal(share.data.shareImage.visibility, 'SHARED', JSON.stringify(share));
      assert.equal((await node(bob.cookie)).data.node.name, 'Alice private');
      assert.deepEqual((await node(bob.cookie)).data.node.sharedWith, [], 'only the owner sees whom it is shared with');
      assert.equal(await listed(bob.cookie), true);
      const filtered = await t.gql('{ images(filter: { visibility: SHARED, status: READY, search: "alice" }) { edges { node { id } } } }', {}, { cookie: bob.cookie });
      assert.ok(filtered.data.images.edges.some((e: any) => e.node.id === id), JSON.stringify(filtered));

      // Bob may see it but not change it.
      const bobUpdate = await t.gql('mutation($id: ID!) { updateImage(id: $id, input: { name: "Mine now" }) { __typename } }', { id }, { cookie: bob.cookie });
      assert.equal(bobUpdate.data.updateImage.__typename, 'PermissionError');
      const publish = await t.gql('mutation($id: ID!) { shareImage(id: $id, visibility: PUBLIC) { __typename } }', { id }, { cookie: alice.cookie });
      assert.equal(publish.data.shareImage.__typename, 'PermissionError');
      const adminPublish = await t.gql('mutation($id: ID!) { shareImage(id: $id, visibility: PUBLIC) { __typename ... on Image { visibility } } }', { id }, { cookie: admin });
      assert.equal(adminPublish.data.shareImage.visibility, 'PUBLIC');
      const update = await t.gql('mutation($id: ID!) { updateImage(id: $id, input: { name: "Renamed", osFamily: null, minMemoryMb: 256 }) { __typename ... on Image { name osFamily minMemoryMb } } }', { id }, { cookie: alice.cookie });
      assert.deepEqual(update.data.updateImage, { __typename: 'Image', name: 'Renamed', osFamily: null, minMemoryMb: 256 });
      const back = await t.gql('mutation($id: ID!) { shareImage(id: $id, visibility: PRIVATE) { __typename ... on Image { visibility } } }', { id }, { cookie: alice.cookie });
      assert.equal(back.data.shareImage.visibility, 'PRIVATE');
      assert.equal(await listed(bob.cookie), false);
    });

    test('delete is refused while a VM uses the image, allowed once that VM is deleted', async () => {
      const t = hangar();
      const { body } = await upload(t, alice.cookie, qcow2, { name: 'In use' });
      const id = body.data.uploadImage.id;
      const file = join(t.env.HANGAR_IMAGE_DIR, `${rawId(id)}.qcow2`);
      const vm = await t.hangar.db
        .insertInto('vms')
        .values({ name: 'user', owner_id: rawId(alice.id), vcpus: 1, memory_mb: 128, disk_gb: 1, state: 'stopped', image_id: rawId(id) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const DELETE = 'mutation($id: ID!) { deleteImage(id: $id) { __typename ... on Error { message } } }';
      const refused = await t.gql(DELETE, { id }, { cookie: alice.cookie });
      assert.equal(refused.data.deleteImage.__typename, 'ConflictError');
      assert.match(refused.data.deleteImage.message, /1 VM/);
      assert.equal(await sha256Of(file), body.data.uploadImage.sha256);
      const notOwner = await t.gql(DELETE, { id }, { cookie: bob.cookie });
      assert.equal(notOwner.data.deleteImage.__typename, 'NotFoundError');

      await t.hangar.db.updateTable('vms').set({ state: 'deleted', deleted_at: new Date() }).where('id', '=', vm.id).execute();
      const deleted = await t.gql(DELETE, { id }, { cookie: alice.cookie });
      assert.equal(deleted.data.deleteImage.__typename, 'Image', JSON.stringify(deleted));
      await assert.rejects(readFile(file), { code: 'ENOENT' });
      const row = await t.hangar.db.selectFrom('vms').select('image_id').where('id', '=', vm.id).executeTakeFirstOrThrow();
      assert.equal(row.image_id, null);
    });
  });
}

describe('an upload over HANGAR_IMAGE_MAX_BYTES', () => {
  const hangar = useTestHangar('pglite', { HANGAR_IMAGE_MAX_BYTES: String(1024 * 1024) });

  test('ends with 413 and leaves no row and no file', async () => {
    const t = hangar();
    const admin = await setupAdmin(t);
    const big = join(dir, 'big.raw');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', big, '3M']);
    const { status, body } = await upload(t, admin, big, { name: 'Too big' });
    assert.equal(status, 413, JSON.stringify(body));
    assert.equal(body.errors[0].extensions.code, 'PAYLOAD_TOO_LARGE');
    assert.match(body.errors[0].message, /1 MiB/);
    assert.equal(await imageCount(t), 0);
    assert.deepEqual(await storeFiles(t), { store: [], incoming: [] });
  });
});

/** An http server on 127.0.0.1 serving files, redirects and a slow body. */
async function fileServer(): Promise<{ url: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const port = (server.address() as AddressInfo).port;
    if (req.url === '/small.qcow2') return void createReadStream(qcow2).pipe(res);
    if (req.url === '/redirect') return void res.writeHead(302, { location: '/small.qcow2' }).end();
    if (req.url === '/to-ipv6-loopback') return void res.writeHead(302, { location: `http://[::1]:${port}/small.qcow2` }).end();
    if (req.url === '/notes.txt') return void res.end('not an image\n'.repeat(100));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

for (const backend of BACKENDS) {
  describe(`image imports [${backend}]`, () => {
    let files: Awaited<ReturnType<typeof fileServer>>;
    before(async () => {
      files = await fileServer();
    });
    after(() => files.server.close());

    test('the download checks every connection: a name resolving to loopback is refused at connect time', async () => {
      const dest = join(dir, `download-${backend}`);
      const port = new URL(files.url).port;
      // The mutation resolved it once; by the time the worker connects it may resolve elsewhere (rebinding).
      await assert.rejects(downloadFile(`http://localhost:${port}/small.qcow2`, dest, { allowedNetworks: [], maxBytes: 1 << 30 }), /non-public/);
      await assert.rejects(downloadFile(`${files.url}/small.qcow2`, dest, { allowedNetworks: [], maxBytes: 1 << 30 }), /non-public/);
      await assert.rejects(downloadFile(`${files.url}/small.qcow2`, dest, { allowedNetworks: ['127.0.0.0/8'], maxBytes: 1024 }), /over the limit/);
      await assert.rejects(readFile(dest), { code: 'ENOENT' });
      assert.deepEqual(files.hits, ['/small.qcow2'], 'only the allowed request reached the server');
      files.hits.length = 0;
    });

    describe('with the default address policy', () => {
      const hangar = useTestHangar(backend);

      test('a loopback URL, or a name resolving to one, is refused in the mutation and nothing is written', async () => {
        const t = hangar();
        const admin = await setupAdmin(t);
        for (const url of [`${files.url}/small.qcow2`, `http://localhost:${new URL(files.url).port}/small.qcow2`, 'http://[::ffff:10.0.0.1]/x', 'http://169.254.169.254/latest', 'ftp://example.com/x.qcow2']) {
          const result = await t.gql(IMPORT, { input: { name: 'Nope' }, url }, { cookie: admin });
          assert.equal(result.data.importImage.__typename, 'ValidationError', `${url}: ${JSON.stringify(result)}`);
          assert.deepEqual(result.data.importImage.fieldErrors[0].path, ['url']);
        }
        assert.equal(await imageCount(t), 0);
        const tasks = await t.hangar.db.selectFrom('tasks').select('id').execute();
        assert.equal(tasks.length, 0);
        assert.deepEqual(files.hits, []);
      });
    });

    describe('with 127.0.0.0/8 allowed', () => {
      // A worker (with no host) serves the images queue.
      const hangar = useTestHangar(backend, { HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8' }, { processes: ['api', 'worker'] });
      let user: { id: string; cookie: string };
      before(async () => {
        const t = hangar();
        user = await userWithRole(t, await setupAdmin(t), 'User');
      });

      async function importAndWait(t: TestHangar, path: string) {
        const started = await t.gql(IMPORT, { input: { name: `Imported ${path}`, osFamily: 'debian' }, url: `${files.url}${path}` }, { cookie: user.cookie });
        const payload = started.data.importImage;
        assert.equal(payload.__typename, 'ImportImagePayload', JSON.stringify(started));
        assert.equal(payload.image.status, 'UPLOADING');
        const TASK = 'query($id: ID!) { node(id: $id) { ... on Task { status error operation vm { id } host { id } steps { name state progress message } } } }';
        for (let i = 0; i < 200; i++) {
          const task = (await t.gql(TASK, { id: payload.task.id }, { cookie: user.cookie })).data.node;
          if (task.status === 'SUCCEEDED' || task.status === 'FAILED') {
            const image = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Image { ${IMAGE} } } }`, { id: payload.image.id }, { cookie: user.cookie })).data.node;
            return { task, image };
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('the import did not finish');
      }

      test('a file from an allowed network is downloaded, checked and ready; its task is the user\u2019s', async () => {
        const t = hangar();
        const { task, image } = await importAndWait(t, '/redirect');
        assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
        assert.deepEqual([task.operation, task.vm, task.host], ['image.import', null, null]);
        assert.deepEqual(task.steps.map((s: any) => [s.name, s.state]), [['Download', 'DONE'], ['Inspect', 'DONE']]);
        assert.deepEqual([image.status, image.format, image.sha256, image.virtualSizeBytes], ['READY', 'QCOW2', await sha256Of(qcow2), 64 * 1024 ** 2]);
        assert.equal(image.source, `${files.url}/redirect`);
        const listed = await t.gql('{ tasks { edges { node { id operation } } } }', {}, { cookie: user.cookie });
        assert.ok(listed.data.tasks.edges.some((e: any) => e.node.operation === 'image.import'));
        assert.deepEqual((await storeFiles(t)).incoming, []);
      });

      test('a redirect to a refused address, a missing file and a text file fail the task and mark the image', async () => {
        const t = hangar();
        for (const [path, pattern] of [
          ['/to-ipv6-loopback', /non-public/],
          ['/missing.qcow2', /404/],
          ['/notes.txt', /refused/],
        ] as const) {
          const { task, image } = await importAndWait(t, path);
          assert.equal(task.status, 'FAILED', path);
          assert.match(task.error, pattern, path);
          assert.equal(image.status, 'ERROR');
          assert.match(image.statusMessage, pattern);
        }
        const { store, incoming } = await storeFiles(t);
        assert.deepEqual(incoming, []);
        assert.ok(store.length <= 1, `only the successful import is in the store: ${store}`);
      });
    });
  });
}
