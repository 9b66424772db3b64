// The built-in repository's vendor signatures (issue 22): the vendors' public keys shipped in
// server/keys/vendors, and a refresh that trusts a checksum file only once the declared signature
// (detached, or the file clearsigned) verified with the entry's key. The vendors' mirrors are played
// by a web server in the test on 127.0.0.1, signing with keys the test makes.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { after, before, test } from 'node:test';
import * as openpgp from 'openpgp';
import { loadConfig, type Config } from '../../server/config.ts';
import { VENDOR_KEYS_DIR, builtinImages, type BuiltinImage, type ChecksumSignature } from '../../server/services/builtin-repository.ts';
import { readBuiltinImages } from '../../server/services/repositories.ts';

const IMAGE = 'vendor-cloud.qcow2';
const SIGNED_HASH = 'a'.repeat(64);
const OTHER_HASH = 'b'.repeat(64);
const SUMS = `${SIGNED_HASH}  ${IMAGE}\n${'c'.repeat(64)}  other.qcow2\n`;

let dir: string;
let keysDir: string;
let server: Server;
let base: string;
let config: Config;

function serve(root: string): Promise<Server> {
  const s = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(root)) return void res.writeHead(404).end();
    readFile(path).then(
      (body) => res.writeHead(200, { 'content-length': body.length }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}

async function vendorDir(name: string, files: Record<string, string | Uint8Array>): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  for (const [file, body] of Object.entries(files)) await writeFile(join(dir, name, file), body);
}

/** An entry as the definition writes one, at the test's mirror. */
function entry(name: string, checksumFile: string, signature: ChecksumSignature | undefined): BuiltinImage {
  return {
    product: `test:${name}`,
    name,
    osFamily: 'debian',
    osVersion: '12',
    arch: 'x86_64',
    defaultUser: 'debian',
    minDiskGb: 2,
    minMemoryMb: 512,
    format: 'qcow2',
    url: `${base}/${name}/${IMAGE}`,
    checksums: { url: `${base}/${name}/${checksumFile}`, algorithm: 'sha256', ...(signature ? { signature } : {}) },
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hangar-vendor-signatures-'));
  keysDir = join(dir, 'keys');
  await mkdir(keysDir);
  const vendor = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'Test vendor' }], format: 'armored' });
  const stranger = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'Someone else' }], format: 'armored' });
  await writeFile(join(keysDir, 'vendor.asc'), `# the test vendor's key, made by the test\n${vendor.publicKey}`);
  const signer = async (armoredKey: string) => openpgp.readPrivateKey({ armoredKey });
  const detached = async (text: string, key: string, format: 'armored' | 'binary' = 'armored') =>
    openpgp.sign({ message: await openpgp.createMessage({ binary: Buffer.from(text) }), signingKeys: await signer(key), detached: true, format: format as 'armored' });
  const clearsigned = async (text: string, key: string) => openpgp.sign({ message: await openpgp.createCleartextMessage({ text }), signingKeys: await signer(key) });
  const tampered = SUMS.replace(SIGNED_HASH, OTHER_HASH);

  await vendorDir('detached', { SHA256SUMS: SUMS, 'SHA256SUMS.gpg': await detached(SUMS, vendor.privateKey) });
  await vendorDir('detached-binary', { SHA256SUMS: SUMS, 'SHA256SUMS.gpg': (await detached(SUMS, vendor.privateKey, 'binary')) as unknown as Uint8Array });
  await vendorDir('clearsigned', { CHECKSUM: await clearsigned(SUMS, vendor.privateKey) });
  await vendorDir('unsigned', { SHA256SUMS: SUMS });
  // Changed after signing.
  await vendorDir('detached-tampered', { SHA256SUMS: tampered, 'SHA256SUMS.gpg': await detached(SUMS, vendor.privateKey) });
  await vendorDir('clearsigned-tampered', { CHECKSUM: (await clearsigned(SUMS, vendor.privateKey)).replace(SIGNED_HASH, OTHER_HASH) });
  // Signed, by another key.
  await vendorDir('detached-stranger', { SHA256SUMS: SUMS, 'SHA256SUMS.gpg': await detached(SUMS, stranger.privateKey) });
  await vendorDir('clearsigned-stranger', { CHECKSUM: await clearsigned(SUMS, stranger.privateKey) });
  // Declared signed, and not.
  await vendorDir('detached-missing', { SHA256SUMS: SUMS });
  await vendorDir('clearsigned-plain', { CHECKSUM: SUMS });
  // Unsigned lines put in front of a good clearsigned file: they must not be believed.
  await vendorDir('clearsigned-prefixed', { CHECKSUM: `${OTHER_HASH}  ${IMAGE}\n${await clearsigned(SUMS, vendor.privateKey)}` });

  server = await serve(dir);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = loadConfig({ HANGAR_DATA_DIR: 'memory://', HANGAR_IMAGE_DIR: join(dir, 'images'), HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8' });
});

after(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

const detachedBy = (name: string, key = 'vendor'): ChecksumSignature => ({ type: 'detached', url: `${base}/${name}/SHA256SUMS.gpg`, key });
const clearsignedBy = (key = 'vendor'): ChecksumSignature => ({ type: 'clearsigned', key });

test('every vendor key shipped is an OpenPGP public key named with its Debian package, and every signed entry names one', async () => {
  const files = (await readdir(VENDOR_KEYS_DIR)).sort();
  assert.deepEqual(files, ['almalinux.asc', 'fedora.asc', 'ubuntu.asc']);
  for (const file of files) {
    const text = await readFile(join(VENDOR_KEYS_DIR, file), 'utf8');
    assert.doesNotMatch(text, /PRIVATE KEY/, file);
    const keys = await openpgp.readKeys({ armoredKeys: text });
    assert.ok(keys.length >= 1, file);
    for (const key of keys) {
      assert.equal(key.isPrivate(), false, file);
      await key.verifyPrimaryKey(); // self-signed and not revoked or expired
    }
    // The header says where the key came from and which fingerprints are in it.
    const [origin, fingerprints] = text.split('\n');
    assert.match(origin!, /^# \w+: from the Debian package [a-z0-9.+-]+ [0-9][^ ]* \(/, file);
    assert.deepEqual(fingerprints!.replace('# fingerprints: ', '').split(' '), keys.map((k) => k.getFingerprint().toUpperCase()), file);
  }
  const entries = builtinImages();
  const signed = entries.filter((e) => e.checksums.signature);
  assert.deepEqual(signed.map((e) => e.product), ['ubuntu:22.04:amd64', 'ubuntu:24.04:amd64', 'almalinux:9:amd64', 'fedora:42:amd64']);
  for (const e of signed) {
    const signature = e.checksums.signature!;
    assert.ok(files.includes(`${signature.key}.asc`), `${e.product} names ${signature.key}.asc`);
    if (signature.type === 'detached') assert.equal(new URL(signature.url).origin, new URL(e.checksums.url).origin, e.product);
  }
  assert.deepEqual(new Set(signed.map((e) => `${e.checksums.signature!.key}.asc`)), new Set(files), 'every shipped key is used');
});

test('a checksum file signed by the entry\u2019s key is trusted: detached (armoured or binary) or clearsigned', async () => {
  const { offered, refused } = await readBuiltinImages(
    config,
    [entry('detached', 'SHA256SUMS', detachedBy('detached')), entry('detached-binary', 'SHA256SUMS', detachedBy('detached-binary')), entry('clearsigned', 'CHECKSUM', clearsignedBy()), entry('unsigned', 'SHA256SUMS', undefined)],
    keysDir,
  );
  assert.deepEqual(refused.map((r) => [r.product, r.error.message]), []);
  assert.deepEqual(offered.map((o) => [o.product, o.checksum]), [
    ['test:detached', SIGNED_HASH],
    ['test:detached-binary', SIGNED_HASH],
    ['test:clearsigned', SIGNED_HASH],
    ['test:unsigned', SIGNED_HASH],
  ]);
});

test('changed after signing, signed by another key, or not signed where a signature is declared: refused with BAD_SIGNATURE, nothing offered', async () => {
  const bad = [
    entry('detached-tampered', 'SHA256SUMS', detachedBy('detached-tampered')),
    entry('clearsigned-tampered', 'CHECKSUM', clearsignedBy()),
    entry('detached-stranger', 'SHA256SUMS', detachedBy('detached-stranger')),
    entry('clearsigned-stranger', 'CHECKSUM', clearsignedBy()),
    entry('detached-missing', 'SHA256SUMS', detachedBy('detached-missing')),
    entry('clearsigned-plain', 'CHECKSUM', clearsignedBy()),
  ];
  const { offered, refused } = await readBuiltinImages(config, [...bad, entry('detached', 'SHA256SUMS', detachedBy('detached'))], keysDir);
  assert.deepEqual(offered.map((o) => o.product), ['test:detached'], 'the good vendor is still offered');
  assert.deepEqual(refused.map((r) => [r.product, r.error.reason]), bad.map((e) => [e.product, 'BAD_SIGNATURE']));
  for (const r of refused) assert.match(r.error.message, /vendor's key \(vendor\.asc\)|no signature|not a clearsigned/, r.product);
  // Nothing of theirs left in the image store's incoming directory.
  assert.deepEqual(await readdir(join(dir, 'images', 'incoming')), []);
});

test('unsigned lines around a clearsigned checksum file are never believed', async () => {
  const { offered, refused } = await readBuiltinImages(config, [entry('clearsigned-prefixed', 'CHECKSUM', clearsignedBy())], keysDir);
  assert.ok(!offered.some((o) => o.checksum === OTHER_HASH), JSON.stringify(offered));
  assert.ok(offered.length === 1 ? offered[0]!.checksum === SIGNED_HASH : refused[0]!.error.reason === 'BAD_SIGNATURE');
});

test('the good signature with the wrong key file is refused too', async () => {
  await writeFile(join(keysDir, 'other.asc'), (await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name: 'Other vendor' }], format: 'armored' })).publicKey);
  const { offered, refused } = await readBuiltinImages(config, [entry('detached', 'SHA256SUMS', detachedBy('detached', 'other')), entry('clearsigned', 'CHECKSUM', clearsignedBy('other'))], keysDir);
  assert.deepEqual(offered, []);
  assert.deepEqual(refused.map((r) => r.error.reason), ['BAD_SIGNATURE', 'BAD_SIGNATURE']);
});
