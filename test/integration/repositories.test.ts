// Image repositories (issue 22): simplestreams indexes served by a web server in the test on
// 127.0.0.1, built with `hangar repository build`; installs verified against the index's checksum.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as openpgp from 'openpgp';
import { builtinImages, checksumIn } from '../../server/services/builtin-repository.ts';
import { buildRepository } from '../../server/services/repository-build.ts';
import { offeredImages, RepositoryIndexError } from '../../server/services/simplestreams.ts';
import { setupAdmin, useTestHangar, type TestHangar } from '../support/hangar.ts';
import { testImagePath } from '../support/test-image.ts';

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;
const REFUSAL = '... on RepositoryIndexError { reason message } ... on ValidationError { fieldErrors { path message } } ... on Error { message }';
const ENTRY = 'id product version name osFamily osVersion arch defaultUser minDiskGb sizeBytes checksumAlgorithm installed updateAvailable versionSeenAt image { id status visibility sha256 } installFailure { reason message } installTask { id status }';
const ADD = `mutation($name: String!, $url: String!, $signingKey: String) { addImageRepository(name: $name, url: $url, signingKey: $signingKey) { __typename ... on RefreshImageRepositoryPayload { added updated repository { id name enabled signed } } ${REFUSAL} } }`;
const REFRESH = `mutation($id: ID!) { refreshImageRepository(id: $id) { __typename ... on RefreshImageRepositoryPayload { added updated } ${REFUSAL} } }`;
const LIST = `{ repositoryImages { ${ENTRY} } }`;
const INSTALL = `mutation($id: ID!) { installRepositoryImage(id: $id) { __typename ... on InstallRepositoryImagePayload { image { id status visibility } task { id } } ... on Error { message } } }`;

let dir: string;
let server: Server;
let base: string;

/** Serves dir; a path that leaves it is 404 (the hostile index must not be able to prove anything by reaching further). */
function serve(root: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root)) return void res.writeHead(404).end();
    stat(path).then(
      (st) => {
        if (!st.isFile()) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-length': st.size });
        createReadStream(path).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

async function editProducts(repo: string, edit: (products: any) => void): Promise<void> {
  const file = join(dir, repo, 'streams/v1/images.json');
  const document = JSON.parse(await readFile(file, 'utf8'));
  edit(document.products);
  await writeFile(file, JSON.stringify(document));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hangar-repositories-test-'));
  const good = join(dir, 'good');
  await mkdir(join(good, 'debian'), { recursive: true });
  // The test image (the Debian 12 cloud image the deploy tests boot) as a product, described by its sidecar.
  const image = await testImagePath();
  await link(image, join(good, 'debian', 'debian-12.qcow2')).catch(() => copyFile(image, join(good, 'debian', 'debian-12.qcow2')));
  await writeFile(join(good, 'debian', 'debian-12.qcow2.json'), JSON.stringify({ product: 'test:debian:12', title: 'Debian 12 (test)', os: 'Debian', release: '12', arch: 'x86_64', default_user: 'debian', min_disk_gb: 2 }));
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(good, 'small.qcow2'), '64M']);
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(good, 'broken.qcow2'), '32M']);
  await writeFile(join(good, 'notes.img'), 'not an image\n'.repeat(100));
  await writeFile(join(good, 'has space.qcow2'), '');
  // `hangar repository build DIR` itself, as an administrator runs it.
  const built = spawnSync(process.execPath, [MAIN, 'repository', 'build', good], { encoding: 'utf8', env: { ...process.env, HANGAR_DATA_DIR: 'memory://' } });
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /3 images/);
  assert.match(built.stderr, /left out notes\.img/);
  assert.match(built.stderr, /left out has space\.qcow2/);
  // One product whose index lies about its checksum.
  await editProducts('good', (products) => {
    const item = Object.values<any>(products.broken.versions)[0].items.qcow2;
    item.sha256 = '0'.repeat(64);
  });
  server = await serve(dir);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

test('the built-in definition parses, and every entry has a vendor checksum file it can be verified with', () => {
  const entries = builtinImages();
  assert.ok(entries.length >= 8);
  for (const family of ['debian', 'ubuntu', 'almalinux', 'rocky', 'fedora', 'alpine']) assert.ok(entries.some((e) => e.osFamily === family), family);
  assert.deepEqual(entries.filter((e) => e.osFamily === 'debian').map((e) => e.osVersion), ['12', '13']);
  assert.deepEqual(entries.filter((e) => e.osFamily === 'ubuntu').map((e) => e.osVersion), ['22.04', '24.04']);
  for (const e of entries) {
    assert.match(e.checksums.url, /^https:\/\//, e.product);
    assert.ok(['sha256', 'sha512'].includes(e.checksums.algorithm), e.product);
    assert.ok(e.defaultUser && e.minDiskGb > 0 && e.minMemoryMb >= 256 && e.arch, e.product);
  }
  assert.equal(new Set(entries.map((e) => e.product)).size, entries.length);
  // The vendors' checksum file layouts: GNU (Debian, Ubuntu), BSD (Rocky, Fedora, signed), one bare hash (Alpine).
  const h256 = 'a'.repeat(64);
  const h512 = 'b'.repeat(128);
  assert.equal(checksumIn(`${h512}  debian-12-genericcloud-amd64.qcow2\n${'c'.repeat(128)}  other.qcow2\n`, 'debian-12-genericcloud-amd64.qcow2', 'sha512'), h512);
  assert.equal(checksumIn(`${h256} *ubuntu-24.04-server-cloudimg-amd64.img\n`, 'ubuntu-24.04-server-cloudimg-amd64.img', 'sha256'), h256);
  assert.equal(checksumIn(`-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n# x.qcow2: 1 bytes\nSHA256 (x.qcow2) = ${h256.toUpperCase()}\n-----BEGIN PGP SIGNATURE-----\n`, 'x.qcow2', 'sha256'), h256);
  assert.equal(checksumIn(`${h512}\n`, 'alpine.qcow2', 'sha512'), h512);
  assert.equal(checksumIn(`${h256}  x.qcow2\n`, 'y.qcow2', 'sha256'), null);
});

test('a hostile index is refused whole: names and paths that leave the repository, escapes, controls', () => {
  const url = new URL('http://repo.example/images/');
  const product = (path: string, name = 'p', extra: object = {}) => ({ format: 'products:1.0', products: { [name]: { ...extra, versions: { '1': { items: { qcow2: { ftype: 'qcow2', path, sha256: 'a'.repeat(64), size: 1 } } } } } } });
  for (const path of ['../etc/passwd', '/etc/passwd', 'a/../../b', 'http://evil.example/x.qcow2', '//evil.example/x', 'a%2f..%2fb', 'a\\..\\b', 'a?b', 'x/./y']) {
    assert.throws(() => offeredImages(url, product(path)), (e: unknown) => e instanceof RepositoryIndexError && e.reason === 'UNSAFE_PATH', path);
  }
  for (const [name, extra] of [['../p', {}], ['p\u202etxt.exe', {}], ['p', { os: 'Debian\u0007' }], ['p', { default_user: 'root; rm -rf /' }]] as const) {
    assert.throws(() => offeredImages(url, product('x.qcow2', name, extra)), (e: unknown) => e instanceof RepositoryIndexError && e.reason === 'UNSAFE_NAME', name);
  }
  assert.equal(offeredImages(url, product('sub/x.qcow2'))[0]!.url, 'http://repo.example/images/sub/x.qcow2');
});

describe('a repository on 127.0.0.1 (allowed)', () => {
  const hangar = useTestHangar('postgres', { HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8' }, { processes: ['api', 'worker'] });
  let admin: string;
  let repositoryId: string;

  async function entries(t: TestHangar): Promise<Record<string, any>> {
    const result = await t.gql(LIST, {}, { cookie: admin });
    assert.ok(!result.errors, JSON.stringify(result.errors));
    return Object.fromEntries(result.data.repositoryImages.map((e: any) => [e.product, e]));
  }

  async function installAndWait(t: TestHangar, entryId: string) {
    const started = await t.gql(INSTALL, { id: entryId }, { cookie: admin });
    assert.equal(started.data.installRepositoryImage.__typename, 'InstallRepositoryImagePayload', JSON.stringify(started));
    const payload = started.data.installRepositoryImage;
    assert.deepEqual([payload.image.status, payload.image.visibility], ['UPLOADING', 'PUBLIC']);
    const TASK = 'query($id: ID!) { node(id: $id) { ... on Task { status error steps { name state message } } } }';
    for (let i = 0; i < 1200; i++) {
      const task = (await t.gql(TASK, { id: payload.task.id }, { cookie: admin })).data.node;
      if (task.status === 'SUCCEEDED' || task.status === 'FAILED') return { task, imageId: payload.image.id };
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the install did not finish');
  }

  const storeFiles = async (t: TestHangar) => ({
    store: (await readdir(t.env.HANGAR_IMAGE_DIR!)).filter((f) => f !== 'incoming').sort(),
    incoming: await readdir(join(t.env.HANGAR_IMAGE_DIR!, 'incoming')).catch(() => []),
  });

  before(async () => {
    admin = await setupAdmin(hangar());
  });

  test('added, it lists what it offers, not installed, with size, checksum and what the sidecar said', async () => {
    const t = hangar();
    const refused = await t.gql(ADD, { name: 'Elsewhere', url: 'http://10.1.2.3/images/' }, { cookie: admin });
    assert.equal(refused.data.addImageRepository.__typename, 'ValidationError', 'a private address outside the allowed networks');
    const added = await t.gql(ADD, { name: 'Local', url: `${base}/good` }, { cookie: admin });
    assert.equal(added.data.addImageRepository.__typename, 'RefreshImageRepositoryPayload', JSON.stringify(added));
    assert.equal(added.data.addImageRepository.added, 3);
    repositoryId = added.data.addImageRepository.repository.id;
    const offered = await entries(t);
    assert.deepEqual(Object.keys(offered).sort(), ['broken', 'small', 'test:debian:12']);
    const debian = offered['test:debian:12'];
    assert.deepEqual(
      [debian.name, debian.osFamily, debian.osVersion, debian.arch, debian.defaultUser, debian.minDiskGb, debian.checksumAlgorithm, debian.installed, debian.updateAvailable, debian.image],
      ['Debian 12 (test)', 'debian', '12', 'x86_64', 'debian', 2, 'sha256', false, false, null],
    );
    assert.equal(debian.sizeBytes, (await stat(await testImagePath())).size);
    const repos = await t.gql('{ imageRepositories { name builtin enabled url } }', {}, { cookie: admin });
    assert.deepEqual(repos.data.imageRepositories.map((r: any) => [r.name, r.builtin]), [['Cloud images', true], ['Local', false]]);
  });

  test('an index with hostile names or paths is refused with its reason and nothing of it is kept', async () => {
    const t = hangar();
    for (const [name, product, path, reason] of [
      ['Escapes', 'x', '../../good/small.qcow2', 'UNSAFE_PATH'],
      ['Absolute', 'x', `${base}/good/small.qcow2`, 'UNSAFE_PATH'],
      ['Names', '../../x', 'small.qcow2', 'UNSAFE_NAME'],
    ] as const) {
      const repo = join(dir, `hostile-${name}`);
      await mkdir(join(repo, 'streams/v1'), { recursive: true });
      await writeFile(join(repo, 'streams/v1/index.json'), JSON.stringify({ format: 'index:1.0', index: { images: { path: 'streams/v1/images.json' } } }));
      await writeFile(join(repo, 'streams/v1/images.json'), JSON.stringify({ format: 'products:1.0', products: { [product]: { versions: { '1': { items: { qcow2: { ftype: 'qcow2', path, sha256: 'a'.repeat(64) } } } } } } }));
      const result = await t.gql(ADD, { name, url: `${base}/hostile-${name}/` }, { cookie: admin });
      assert.equal(result.data.addImageRepository.__typename, 'RepositoryIndexError', JSON.stringify(result));
      assert.equal(result.data.addImageRepository.reason, reason, name);
    }
    const notJson = await t.gql(ADD, { name: 'Missing', url: `${base}/nowhere/` }, { cookie: admin });
    assert.deepEqual([notJson.data.addImageRepository.__typename, notJson.data.addImageRepository.reason], ['RepositoryIndexError', 'UNREACHABLE']);
    const names = (await t.hangar.db.selectFrom('image_repositories').select('name').execute()).map((r) => r.name).sort();
    assert.deepEqual(names, ['Cloud images', 'Local']);
    assert.equal((await t.hangar.db.selectFrom('repository_images').select('id').execute()).length, 3);
    assert.deepEqual((await storeFiles(t)).incoming, []);
  });

  test('a repository with a signing key reads only the documents that key clearsigned', async () => {
    const t = hangar();
    const key = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'Test repository' }], format: 'armored' });
    const stranger = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'Someone else' }], format: 'armored' });
    const clearsign = async (text: string, armoredKey: string) =>
      openpgp.sign({ message: await openpgp.createCleartextMessage({ text }), signingKeys: await openpgp.readPrivateKey({ armoredKey }) });
    // The same images three times: signed by the key, one document signed by another key, one changed after signing.
    for (const [name, signer, tamper] of [['signed', key.privateKey, false], ['wrong-key', stranger.privateKey, false], ['tampered', key.privateKey, true]] as const) {
      const repo = join(dir, name);
      await mkdir(repo, { recursive: true });
      execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(repo, 'signed.qcow2'), '16M']);
      await buildRepository(repo);
      await writeFile(join(repo, 'streams/v1/index.sjson'), await clearsign(await readFile(join(repo, 'streams/v1/index.json'), 'utf8'), key.privateKey));
      let products = await clearsign(await readFile(join(repo, 'streams/v1/images.json'), 'utf8'), signer);
      if (tamper) products = products.replace(/"sha256": "[0-9a-f]{64}"/, `"sha256": "${'0'.repeat(64)}"`);
      await writeFile(join(repo, 'streams/v1/images.sjson'), products);
    }
    const good = await t.gql(ADD, { name: 'Signed', url: `${base}/signed/`, signingKey: key.publicKey }, { cookie: admin });
    assert.equal(good.data.addImageRepository.__typename, 'RefreshImageRepositoryPayload', JSON.stringify(good));
    assert.deepEqual([good.data.addImageRepository.added, good.data.addImageRepository.repository.signed], [1, true]);
    for (const name of ['wrong-key', 'tampered']) {
      const refused = await t.gql(ADD, { name, url: `${base}/${name}/`, signingKey: key.publicKey }, { cookie: admin });
      assert.deepEqual([refused.data.addImageRepository.__typename, refused.data.addImageRepository.reason], ['RepositoryIndexError', 'BAD_SIGNATURE'], name);
    }
    const notAKey = await t.gql(ADD, { name: 'No key', url: `${base}/signed/`, signingKey: 'hello' }, { cookie: admin });
    assert.deepEqual(notAKey.data.addImageRepository.fieldErrors?.[0]?.path, ['signingKey']);
    const privateKey = await t.gql(ADD, { name: 'Private', url: `${base}/signed/`, signingKey: key.privateKey }, { cookie: admin });
    assert.match(privateKey.data.addImageRepository.fieldErrors?.[0]?.message, /private key/);
    const names = (await t.hangar.db.selectFrom('image_repositories').select('name').execute()).map((r) => r.name).sort();
    assert.deepEqual(names, ['Cloud images', 'Local', 'Signed']);
    // Out of the way of the tests below, which count what Local offers.
    const id = good.data.addImageRepository.repository.id;
    await t.gql('mutation($id: ID!) { deleteImageRepository(id: $id) { __typename } }', { id }, { cookie: admin });
  });

  test('an install downloads the image, verifies it against the index and makes it a public image', async () => {
    const t = hangar();
    const { task, imageId } = await installAndWait(t, (await entries(t))['test:debian:12'].id);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.match(task.steps[0].message, /sha256 verified against the repository/);
    const debian = (await entries(t))['test:debian:12'];
    assert.deepEqual([debian.installed, debian.updateAvailable, debian.image.id, debian.image.status, debian.image.visibility, debian.installTask.status], [true, false, imageId, 'READY', 'PUBLIC', 'SUCCEEDED']);
    const image = await t.hangar.db.selectFrom('images').selectAll().where('repository_image_id', 'is not', null).executeTakeFirstOrThrow();
    assert.deepEqual([image.name, image.os_family, image.default_user, image.owner_id, image.cloud_init], ['Debian 12 (test)', 'debian', 'debian', null, true]);
    const again = await t.gql(INSTALL, { id: debian.id }, { cookie: admin });
    assert.equal(again.data.installRepositoryImage.__typename, 'ConflictError');
  });

  test('a file whose checksum is not the index\u2019s is refused with CHECKSUM_MISMATCH and leaves nothing behind', async () => {
    const t = hangar();
    const before = await storeFiles(t);
    const imagesBefore = (await t.hangar.db.selectFrom('images').select('id').execute()).length;
    const { task } = await installAndWait(t, (await entries(t)).broken.id);
    assert.equal(task.status, 'FAILED');
    assert.match(task.error, /sha256/);
    const broken = (await entries(t)).broken;
    assert.deepEqual([broken.installed, broken.image, broken.installFailure.reason], [false, null, 'CHECKSUM_MISMATCH']);
    assert.equal((await t.hangar.db.selectFrom('images').select('id').execute()).length, imagesBefore);
    assert.deepEqual(await storeFiles(t), before);
  });

  test('a new version in the index is an update; installing it keeps the old one beside it until a refresh finds no VM using it', async () => {
    const t = hangar();
    const small = (await entries(t)).small;
    const first = await installAndWait(t, small.id);
    assert.equal(first.task.status, 'SUCCEEDED');
    await editProducts('good', (products) => {
      const versions = products.small.versions;
      versions['99991231_2359'] = Object.values(versions)[0];
    });
    const refreshed = await t.gql(REFRESH, { id: repositoryId }, { cookie: admin });
    assert.deepEqual([refreshed.data.refreshImageRepository.added, refreshed.data.refreshImageRepository.updated], [0, 1], JSON.stringify(refreshed));
    const updated = (await entries(t)).small;
    assert.deepEqual([updated.version, updated.installed, updated.updateAvailable, updated.image.id], ['99991231_2359', false, true, first.imageId]);
    assert.ok(new Date(updated.versionSeenAt) > new Date(small.versionSeenAt));
    const second = await installAndWait(t, small.id);
    assert.equal(second.task.status, 'SUCCEEDED');
    const now = (await entries(t)).small;
    assert.deepEqual([now.installed, now.updateAvailable, now.image.id], [true, false, second.imageId]);
    const kept = await t.gql('query($id: ID!) { node(id: $id) { ... on Image { status } } }', { id: first.imageId }, { cookie: admin });
    assert.equal(kept.data.node?.status, 'READY', 'the old version stays installed');
    // The next refresh removes the old build, which no VM uses (one that a VM uses stays, as deleteImage refuses).
    const next = await t.gql(REFRESH, { id: repositoryId }, { cookie: admin });
    assert.deepEqual([next.data.refreshImageRepository.added, next.data.refreshImageRepository.updated], [0, 0]);
    const gone = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: first.imageId }, { cookie: admin });
    assert.equal(gone.data.node, null);
    assert.equal((await entries(t)).small.image.id, second.imageId);
    const idOf = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
    assert.ok(!(await storeFiles(t)).store.some((f) => f.startsWith(idOf(first.imageId)!)), 'its file went too');
    // An index that turns hostile later changes nothing offered; why is kept on the repository.
    await editProducts('good', (products) => {
      products['bad\u0000name'] = products.small;
    });
    const refused = await t.gql(REFRESH, { id: repositoryId }, { cookie: admin });
    assert.equal(refused.data.refreshImageRepository.reason, 'UNSAFE_NAME');
    const repos = await t.gql('{ imageRepositories { name refreshFailure { reason } } }', {}, { cookie: admin });
    assert.equal(repos.data.imageRepositories.find((r: any) => r.name === 'Local').refreshFailure.reason, 'UNSAFE_NAME');
    assert.equal(Object.keys(await entries(t)).length, 3);
  });
});
