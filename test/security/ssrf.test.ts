// SSRF through image imports: every IPv6 spelling that carries an IPv4 address inside it is judged
// by that IPv4 address, for literal URLs (on a real server) and for names that resolve to such forms.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressAllowed, refusedAddressOf } from '../../server/services/outbound-address.ts';
import { adminSession, useTestHangar } from '../support/hangar.ts';

// Each embeds a loopback, private or link-local IPv4 address (or one whose place cannot be known).
const EMBEDDED_PRIVATE: Array<[string, string]> = [
  ['IPv4-compatible ::/96', '::127.0.0.1'],
  ['IPv4-compatible, metadata address', '::169.254.169.254'],
  ['IPv4-compatible, hex', '::a00:1'],
  ['IPv4-mapped ::ffff:0:0/96', '::ffff:127.0.0.1'],
  ['IPv4-mapped, hex', '::ffff:a9fe:a9fe'],
  ['IPv4-translated ::ffff:0:0:0/96', '::ffff:0:127.0.0.1'],
  ['NAT64 64:ff9b::/96', '64:ff9b::127.0.0.1'],
  ['NAT64 64:ff9b::/96, private', '64:ff9b::10.0.0.1'],
  ['local-use NAT64 64:ff9b:1::/48 (/96 placement)', '64:ff9b:1::7f00:1'],
  ['local-use NAT64 64:ff9b:1::/48 (/48 placement)', '64:ff9b:1:7f00:1::'],
  ['6to4 2002::/16', '2002:7f00:1::1'],
  ['6to4, private', '2002:c0a8:101::1'],
  ['Teredo, client 127.0.0.1 (XOR-ed)', '2001:0:4136:e378:8000:63bf:80ff:fffe'],
  ['Teredo, server 10.0.0.1', '2001:0:a00:1:8000:63bf:f7f7:f7f7'],
  ['ISATAP under a global prefix', '2a00:1450:4001::5efe:127.0.0.1'],
  ['ISATAP (u bit set), metadata address', '2a00:1450:4001::200:5efe:a9fe:a9fe'],
];

describe('outbound addresses: IPv6 forms that embed IPv4', () => {
  for (const [name, address] of EMBEDDED_PRIVATE) {
    // As written, and as a URL spells it (what checkImportUrl sees: http://[::127.0.0.1]/ has host [::7f00:1]).
    const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
    test(`${name}: ${address} (${canonical}) is refused`, () => {
      assert.equal(addressAllowed(address, []), false);
      assert.equal(addressAllowed(canonical, []), false);
      assert.equal(addressAllowed(`[${canonical}]`, []), false);
    });
  }

  test('plain loopback, private and public addresses keep their verdicts', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '::1', '::', 'fe80::1', 'fd00::1', '0.0.0.0']) assert.equal(addressAllowed(address, []), false, address);
    for (const address of ['8.8.8.8', '2a00:1450:4001:800::200e', '2606:4700::1111']) assert.equal(addressAllowed(address, []), true, address);
  });

  test('an embedded IPv4 address that is allowed lets its IPv6 form through', () => {
    // Public IPv4 behind NAT64, 6to4 and mapped forms: where the packets end up is public.
    for (const address of ['64:ff9b::8.8.8.8', '2002:808:808::1', '::ffff:8.8.8.8', '2001:0:4136:e378:8000:63bf:f7f7:f7f7']) assert.equal(addressAllowed(address, []), true, address);
    // An administrator who allows 127.0.0.1/32 allows it in every spelling.
    for (const address of ['::127.0.0.1', '::ffff:127.0.0.1', '64:ff9b::127.0.0.1', '2002:7f00:1::1', '2a00:1450:4001::5efe:127.0.0.1']) {
      assert.equal(addressAllowed(address, ['127.0.0.1/32']), true, address);
      assert.equal(addressAllowed(address, ['10.0.0.0/8']), false, address);
    }
    // The local-use NAT64 prefix hides where the IPv4 address sits: only allowing the IPv6 range itself lets it through.
    assert.equal(addressAllowed('64:ff9b:1::7f00:1', ['127.0.0.1/32']), false);
    assert.equal(addressAllowed('64:ff9b:1::7f00:1', ['64:ff9b:1::/48']), true);
  });

  test('a host name that resolves to an embedded form is refused', async () => {
    for (const [, address] of EMBEDDED_PRIVATE) {
      const lookup = async (host: string) => (host === 'images.example.net' ? [{ address: '2a00:1450:4001:800::200e' }, { address }] : []);
      assert.equal(await refusedAddressOf('images.example.net', [], lookup), address);
    }
    assert.equal(await refusedAddressOf('images.example.net', [], async () => [{ address: '2a00:1450:4001:800::200e' }]), null);
  });
});

describe('image import by URL refuses embedded-IPv4 targets on a real server', () => {
  const hangar = useTestHangar('postgres');

  test('every form as a URL literal is refused and nothing is written', async () => {
    const t = hangar();
    const admin = await adminSession(t);
    for (const [name, address] of EMBEDDED_PRIVATE) {
      const url = `http://[${address}]/disk.qcow2`;
      const result = await t.gql(
        'mutation($url: String!) { importImage(input: { name: "ssrf" }, url: $url) { __typename ... on ValidationError { message } } }',
        { url },
        { cookie: admin },
      );
      assert.equal(result.errors, undefined, `${name}: ${JSON.stringify(result.errors)}`);
      assert.equal(result.data.importImage.__typename, 'ValidationError', `${name} (${url}) was accepted`);
    }
    const images = await t.hangar.db.selectFrom('images').select('id').where('name', '=', 'ssrf').execute();
    assert.deepEqual(images, []);
    const tasks = await t.hangar.db.selectFrom('tasks').select('id').where('operation', '=', 'image.import').execute();
    assert.deepEqual(tasks, []);
  });
});
