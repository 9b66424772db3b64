// cloud-init documents: hostile text stays plain string values, whichever YAML parser reads them.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { buildSeedIso, cloudInitDocuments, FIRST_BOOT_SCRIPT_PATH, hashPassword, type CloudInitSpec } from '../../server/hypervisor/cloud-init.ts';

const run = promisify(execFile);

const HOSTILE = [
  'web\nruncmd: [["rm", "-rf", "/"]]',
  '#cloud-config\n---\nusers: []',
  'a: b',
  '!!python/object/apply:os.system ["id"]',
  '- item',
  '{ evil: 1 }',
  'on',
  'no',
  '=',
  '~',
  '0700',
  '1:20',
  '2001-12-14',
  '&anchor *alias',
  "'\"quoted\"'",
  '| block',
  '  leading and trailing  ',
  'trailing newline\n',
  'tab\tcr\r\nnul\0bell\x07',
  'line\u2028sep\u2029para\x85nel\x80c1\x9f',
  '…ünïcødé 😀',
  '...\n---\n...',
];

function spec(overrides: Partial<CloudInitSpec> = {}): CloudInitSpec {
  return {
    instanceId: 'i-0123',
    hostname: 'web-1',
    user: 'admin',
    passwordHash: null,
    sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0 admin@example'],
    timezone: 'Europe/Berlin',
    firstBootScript: null,
    network: null,
    ...overrides,
  };
}

function intendedUserData(s: CloudInitSpec): Record<string, unknown> {
  const user: Record<string, unknown> = { name: s.user, sudo: 'ALL=(ALL) NOPASSWD:ALL', shell: '/bin/bash', lock_passwd: s.passwordHash === null };
  if (s.passwordHash !== null) user.hashed_passwd = s.passwordHash;
  user.ssh_authorized_keys = s.sshKeys;
  const doc: Record<string, unknown> = {
    hostname: s.hostname,
    preserve_hostname: false,
    manage_etc_hosts: true,
    users: [user],
    ssh_pwauth: s.passwordHash !== null,
    timezone: s.timezone,
    growpart: { mode: 'auto', devices: ['/'] },
    resize_rootfs: true,
    updates: { network: { when: ['boot'] } },
  };
  if (s.firstBootScript !== null) {
    doc.write_files = [{ path: FIRST_BOOT_SCRIPT_PATH, permissions: '0700', owner: 'root:root', content: s.firstBootScript }];
    doc.runcmd = [[FIRST_BOOT_SCRIPT_PATH]];
  }
  return doc;
}

/** Both YAML 1.1 (what PyYAML speaks) and 1.2 readings must give the same, intended document. */
function parseBoth(text: string): unknown {
  const v11 = parse(text, { version: '1.1' });
  const v12 = parse(text);
  assert.deepEqual(v11, v12);
  return v11;
}

const pyyaml = (() => {
  try {
    execFileSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** cloud-init's own parser: PyYAML safe_load of each text, answered as JSON (one process for all). */
function pyLoad(texts: string[]): unknown[] {
  const script = 'import sys, json, yaml; print(json.dumps([yaml.safe_load(t) for t in json.load(sys.stdin)]))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' }));
}

describe('cloud-init documents', () => {
  test('a plain spec gives the intended user-data, meta-data and no network-config', () => {
    const s = spec({ passwordHash: '$6$abcdefghijklmnop$hash', firstBootScript: '#!/bin/sh\necho hi\n' });
    const docs = cloudInitDocuments(s);
    assert.ok(docs.userData.startsWith('#cloud-config\n'));
    assert.deepEqual(parseBoth(docs.userData), intendedUserData(s));
    assert.deepEqual(parseBoth(docs.metaData), { 'instance-id': 'i-0123', 'local-hostname': 'web-1' });
    assert.equal(docs.networkConfig, null);
  });

  test('no password: the user is locked and SSH password login is off', () => {
    const doc = parseBoth(cloudInitDocuments(spec()).userData) as any;
    assert.equal(doc.users[0].lock_passwd, true);
    assert.equal('hashed_passwd' in doc.users[0], false);
    assert.equal(doc.ssh_pwauth, false);
    assert.equal('write_files' in doc, false);
    assert.equal('runcmd' in doc, false);
  });

  test('static network: v2 ethernet matched by MAC, default route, nameservers', () => {
    const docs = cloudInitDocuments(spec({ network: { mac: '52:54:00:12:34:56', address: '10.0.0.5/24', gateway: '10.0.0.1', dns: ['1.1.1.1', '9.9.9.9'] } }));
    assert.deepEqual(parseBoth(docs.networkConfig!), {
      version: 2,
      ethernets: {
        primary: {
          match: { macaddress: '52:54:00:12:34:56' },
          addresses: ['10.0.0.5/24'],
          routes: [{ to: '0.0.0.0/0', via: '10.0.0.1' }],
          nameservers: { addresses: ['1.1.1.1', '9.9.9.9'] },
        },
      },
    });
    const v6 = parseBoth(cloudInitDocuments(spec({ network: { mac: '52:54:00:12:34:56', address: 'fd00::5/64', gateway: 'fd00::1', dns: [] } })).networkConfig!) as any;
    assert.deepEqual(v6.ethernets.primary.routes, [{ to: '::/0', via: 'fd00::1' }]);
    assert.equal('nameservers' in v6.ethernets.primary, false);
    const noGateway = parseBoth(cloudInitDocuments(spec({ network: { mac: '52:54:00:12:34:56', address: '10.0.0.5/24', gateway: null, dns: [] } })).networkConfig!) as any;
    assert.equal('routes' in noGateway.ethernets.primary, false);
  });

  for (const [i, hostile] of HOSTILE.entries()) {
    test(`hostile text #${i} ${JSON.stringify(hostile).replace(/[^ -~]/g, '?').slice(0, 40)} stays a plain string everywhere`, () => {
      const s = spec({
        instanceId: hostile,
        hostname: hostile,
        user: hostile,
        passwordHash: hostile,
        sshKeys: [hostile, `ssh-rsa AAAA ${hostile}`],
        timezone: hostile,
        firstBootScript: hostile,
        network: { mac: hostile, address: hostile, gateway: hostile, dns: [hostile] },
      });
      const docs = cloudInitDocuments(s);
      assert.ok(docs.userData.startsWith('#cloud-config\n'));
      // One document each: no "---" or "..." of the input started another.
      assert.deepEqual(parseBoth(docs.userData), intendedUserData(s));
      assert.deepEqual(parseBoth(docs.metaData), { 'instance-id': hostile, 'local-hostname': hostile });
      const network = parseBoth(docs.networkConfig!) as any;
      assert.deepEqual(network.ethernets.primary.match, { macaddress: hostile });
      assert.deepEqual(network.ethernets.primary.addresses, [hostile]);
      assert.equal(network.ethernets.primary.routes[0].via, hostile);
      assert.deepEqual(network.ethernets.primary.nameservers, { addresses: [hostile] });
      if (pyyaml) {
        const [userData, metaData, networkConfig] = pyLoad([docs.userData, docs.metaData, docs.networkConfig!]);
        assert.deepEqual(userData, intendedUserData(s));
        assert.deepEqual(metaData, { 'instance-id': hostile, 'local-hostname': hostile });
        assert.deepEqual(networkConfig, network);
      }
    });
  }

  test('hashPassword gives sha512-crypt with a 16-char salt that openssl agrees with', (t) => {
    const hash = hashPassword('correct horse\nbattery: staple');
    const match = /^\$6\$([A-Za-z0-9./]{16})\$([A-Za-z0-9./]{86})$/.exec(hash);
    assert.ok(match, hash);
    assert.notEqual(hashPassword('x'), hashPassword('x'));
    const plain = 'correct horse battery staple';
    const mine = hashPassword(plain);
    const salt = mine.split('$')[2];
    let openssl: string;
    try {
      openssl = execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: plain, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      t.skip('openssl not available');
      return;
    }
    assert.equal(openssl.trim(), mine);
  });
});

describe('seed ISO', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('genisoimage packs the three documents under volume id cidata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-seed-test-'));
    dirs.push(dir);
    const iso = join(dir, 'seed.iso');
    const s = spec({ firstBootScript: '#!/bin/sh\necho "$(hostname)"\n', network: { mac: '52:54:00:aa:bb:cc', address: '192.168.7.9/24', gateway: '192.168.7.1', dns: ['192.168.7.1'] } });
    await buildSeedIso(s, iso);
    const { stdout: files } = await run('isoinfo', ['-f', '-R', '-i', iso]);
    assert.deepEqual(files.trim().split('\n').sort(), ['/meta-data', '/network-config', '/user-data']);
    const { stdout: pvd } = await run('isoinfo', ['-d', '-i', iso]);
    assert.match(pvd, /^Volume id: cidata$/m);
    const docs = cloudInitDocuments(s);
    const { stdout: userData } = await run('isoinfo', ['-R', '-x', '/user-data', '-i', iso]);
    assert.equal(userData, docs.userData);
    const { stdout: networkConfig } = await run('isoinfo', ['-R', '-x', '/network-config', '-i', iso]);
    assert.equal(networkConfig, docs.networkConfig);
  });

  test('without a static network the ISO has no network-config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hangar-seed-test-'));
    dirs.push(dir);
    const iso = join(dir, 'seed.iso');
    await buildSeedIso(spec(), iso);
    const { stdout: files } = await run('isoinfo', ['-f', '-R', '-i', iso]);
    assert.deepEqual(files.trim().split('\n').sort(), ['/meta-data', '/user-data']);
  });
});
