// Host URIs as an attacker holding Host.Manage writes them: libvirt reads a URI's transport and
// parameters as instructions (qemu+ext and ?command= run a program on the Hangar server), so every
// form outside qemu, qemu+unix, qemu+ssh, qemu+tls, qemu+tcp with known parameters is refused with a
// ValidationError naming the problem, nothing is stored, and the program named never runs. The
// hypervisor layer refuses the same forms again, whatever put them in the database.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { runCommand } from '../../server/hypervisor/command.ts';
import { HypervisorError } from '../../server/hypervisor/errors.ts';
import { runInShell } from '../../server/hypervisor/virsh-shell.ts';
import { hypervisorFor } from '../../server/hypervisor/libvirt-hypervisor.ts';
import { setupAdmin, useTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

// Host.Manage alone may add a host but not read one: the payload asks for nothing a Host holds.
const ADD = `mutation($i: AddHostInput!) { addHost(input: $i) { __typename ... on ValidationError { message fieldErrors { path message } } ... on Error { message } } }`;

let dir: string;
let marker: string;
let program: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hangar-uri-attack-'));
  marker = join(dir, 'ran');
  program = join(dir, 'run.sh');
  // What an attacker's ?command= would run: it leaves a file behind.
  await writeFile(program, `#!/bin/sh\ntouch ${marker}\nsleep 1\n`);
  await chmod(program, 0o755);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Refused forms and what the refusal must name. */
function refusedForms(): Array<[string, RegExp]> {
  return [
    [`qemu+ext:///system?command=${program}`, /scheme "qemu\+ext" is not supported/],
    [`QEMU+EXT:///system?command=${program}`, /scheme "QEMU\+EXT" is not supported/],
    [`Qemu:///system`, /scheme "Qemu" is not supported/],
    [`qemu+ssh://localhost/system?command=${program}`, /parameter "command" is never allowed/],
    [`qemu+ssh://localhost/system?%63ommand=${program}`, /parameter "command" is never allowed/],
    [`qemu+ssh://localhost/system?%43OMMAND=${program}`, /parameter "command" is never allowed/],
    [`qemu+ssh://localhost/system?COMMAND=${program}`, /parameter "command" is never allowed/],
    [`qemu+ssh://localhost/system?no_tty=1;command=${program}`, /parameter "command" is never allowed/],
    [`qemu+ssh://localhost/system?no_tty=1&command=${program}`, /parameter "command" is never allowed/],
    [`qemu+ssh://localhost/system?no_tty=1%26command%3D${program}`, /value of the URI parameter "no_tty"/],
    [`qemu+ssh://localhost/system?no_tty=1&no_tty=0`, /"no_tty" is given twice/],
    [`qemu+ssh://localhost/system?netcat=${program}`, /parameter "netcat" is never allowed/],
    [`qemu+ssh://localhost/system?name=qemu%2Bext:///system`, /parameter "name" is never allowed/],
    [`qemu+ssh://localhost/system?keyfile=/root/.ssh/id_rsa`, /parameter "keyfile" is not allowed.*HANGAR_HOST_URI_ALLOWED_PARAMS/],
    [`qemu:///system?socket=/var/run/libvirt/libvirt-sock`, /parameter "socket" is not allowed/],
    [`qemu+unix:///system?socket=/tmp/elsewhere`, /parameter "socket" is not allowed/],
    [`qemu+tls://localhost/system?no_verify=1`, /parameter "no_verify" is not allowed/],
    [`qemu+tls://localhost/system?pkipath=/tmp`, /parameter "pkipath" is not allowed/],
    [`qemu+ssh://localhost/system?proxy=native`, /parameter "proxy" is not allowed/],
    [`qemu+ssh://localhost/system?whatever=1`, /parameter "whatever" is not allowed/],
    [`qemu+ssh://localhost/system?no_tty=%zz`, /malformed percent-encoding/],
    [`qemu+ssh://localhost/system?no_tty=%0a`, /printable ASCII/],
    [`qemu+ssh://localhost/system?&`, /empty parameter/],
    [`qemu+ssh://-oProxyCommand=sh/system`, /host name or address/],
    [`qemu+ssh://-oProxyCommand=sh@localhost/system`, /user name/],
    [`qemu+ssh://root:secret@localhost/system`, /user name/],
    [`qemu+tcp://root@localhost/system`, /Only qemu\+ssh:\/\/ URIs carry a user name/],
    [`qemu+ssh://localhost:99999/system`, /port/],
    [`qemu+ssh://local%68ost/system`, /host name or address/],
    [`qemu:///system#command=${program}`, /fragment/],
    [`qemu:///system\nqemu+ext:///system?command=${program}`, /printable ASCII/],
    [` qemu:///system`, /printable ASCII/],
    [`qemu:///system `, /printable ASCII/],
    [`qemu://localhost/system`, /takes no host/],
    [`qemu:///embed?root=${dir}`, /path must be \/system or \/session/],
    [`qemu:///system/../embed`, /path must be \/system or \/session/],
    [`qemu+libssh2://localhost/system?known_hosts_verify=ignore`, /scheme "qemu\+libssh2" is not supported/],
    [`test:///default`, /scheme "test" is not supported/],
    [`lxc:///system`, /scheme "lxc" is not supported/],
    [`not a uri`, /printable ASCII/],
  ];
}

async function hostUris(t: TestHangar): Promise<string[]> {
  return (await t.hangar.db.selectFrom('hosts').select('uri').execute()).map((h) => h.uri);
}

describe('host URIs through addHost and updateHost', () => {
  const hangar = useTestHangar('postgres');
  let manager: { cookie: string };
  let admin: string;

  before(async () => {
    const t = hangar();
    admin = await setupAdmin(t);
    // An actor holding Host.Manage and nothing else.
    const role = await t.gql('mutation { createRole(input: { name: "HostManagers", privileges: [Host_Manage] }) { ... on Role { id } } }', {}, { cookie: admin });
    assert.ok(role.data.createRole.id, JSON.stringify(role));
    manager = await userWithRole(t, admin, 'HostManagers');
  });

  test('every refused form is a ValidationError on uri naming the problem; nothing is stored or run', async () => {
    const t = hangar();
    const before = await hostUris(t);
    let i = 0;
    for (const [uri, problem] of refusedForms()) {
      const result = await t.gql(ADD, { i: { name: `attack-${i++}`, uri } }, { cookie: manager.cookie });
      const payload = result.data?.addHost;
      assert.equal(payload?.__typename, 'ValidationError', `${JSON.stringify(uri)}: ${JSON.stringify(result)}`);
      assert.match(payload.message, problem, JSON.stringify(uri));
      assert.deepEqual(payload.fieldErrors[0].path, ['uri'], JSON.stringify(uri));
    }
    assert.deepEqual(await hostUris(t), before, 'nothing was stored');
    await sleep(500);
    assert.equal(existsSync(marker), false, 'the program named in a URI never ran');
  });

  test('the allowed forms pass the check (and then succeed or fail only on connecting)', async () => {
    const t = hangar();
    const allowed = [
      'qemu:///system',
      'qemu+unix:///system',
      'qemu+tcp://127.0.0.1:1/system',
      'qemu+tls://127.0.0.1:1/system',
      'qemu+tcp://[::1]:1/session',
      'qemu+ssh://hangar@127.0.0.1:1/system?no_tty=1',
      'qemu+ssh://127.0.0.1:1/system?NO_TTY=1',
    ];
    let i = 0;
    for (const uri of allowed) {
      const result = await t.gql(ADD, { i: { name: `allowed-${i++}`, uri } }, { cookie: manager.cookie });
      const kind = result.data?.addHost?.__typename;
      assert.ok(kind === 'Host' || kind === 'HostConnectionError', `${uri}: ${JSON.stringify(result)}`);
      if (uri.startsWith('qemu:///') || uri.startsWith('qemu+unix:///')) assert.equal(kind, 'Host', `${uri} reaches this machine's libvirt: ${JSON.stringify(result)}`);
    }
  });

  test('updateHost takes no URI, and a bad URI already in the database never reaches virsh', async () => {
    const t = hangar();
    const local = await t.hangar.db.selectFrom('hosts').select(['id', 'uri']).where('uri', '=', 'qemu:///system').executeTakeFirstOrThrow();
    const nodeId = (await t.gql('{ hosts { id uri } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.uri === 'qemu:///system').id;
    const changed = await t.gql(`mutation($id: ID!, $i: UpdateHostInput!) { updateHost(id: $id, input: $i) { __typename } }`, { id: nodeId, i: { uri: `qemu+ext:///system?command=${program}` } }, { cookie: manager.cookie });
    assert.match(changed.errors?.[0]?.message ?? '', /"uri" is not defined/, JSON.stringify(changed));
    assert.equal((await t.hangar.db.selectFrom('hosts').select('uri').where('id', '=', local.id).executeTakeFirstOrThrow()).uri, 'qemu:///system');

    // Planted behind Hangar's back (an old row, a restored backup): the hypervisor layer refuses it too.
    const planted = await t.hangar.db
      .insertInto('hosts')
      .values({ name: 'planted', uri: `qemu+ext:///system?command=${program}`, settings: JSON.stringify({}), capabilities: JSON.stringify({}) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plantedId = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'planted').id;
    const update = await t.gql(
      `mutation($id: ID!, $i: UpdateHostInput!) { updateHost(id: $id, input: $i) { __typename ... on Error { message } } }`,
      { id: plantedId, i: { settings: { network: { kind: 'NETWORK', name: 'default' } } } },
      { cookie: manager.cookie },
    );
    assert.equal(update.data?.updateHost?.__typename, 'HostConnectionError', JSON.stringify(update));
    assert.match(update.data.updateHost.message, /Refused libvirt URI/);
    const refreshed = await t.gql(`mutation($id: ID!) { refreshHost(id: $id) { __typename ... on Host { status statusMessage } } }`, { id: plantedId }, { cookie: admin });
    assert.equal(refreshed.data?.refreshHost?.status, 'OFFLINE', JSON.stringify(refreshed));
    assert.match(refreshed.data.refreshHost.statusMessage, /Refused libvirt URI/);
    await t.hangar.db.deleteFrom('hosts').where('id', '=', planted.id).execute();
    await sleep(500);
    assert.equal(existsSync(marker), false, 'the program named in the planted URI never ran');
  });
});

describe('the hypervisor layer never starts virsh with a refused URI', () => {
  const bad = () => `qemu+ext:///system?command=${program}`;

  test('one-shot, shell and event-loop virsh all refuse; a good URI still runs', async () => {
    await assert.rejects(runCommand('virsh', ['-c', bad(), 'list'], { timeoutMs: 10_000 }), (e: Error) => e instanceof HypervisorError && /Refused libvirt URI/.test(e.message));
    await assert.rejects(runCommand('virsh', ['list'], { timeoutMs: 10_000 }), /explicit -c URI/);
    await assert.rejects(runInShell(bad(), ['list'], 'virsh list', 10_000)!, /Refused libvirt URI/);
    await assert.rejects(hypervisorFor({ uri: bad() }).run(['list']), /Refused libvirt URI/);
    await assert.rejects(hypervisorFor({ uri: 'qemu+ssh://-oProxyCommand=x/system' }).capabilities(), /Refused libvirt URI/);
    const exited = await new Promise<Error | null>((resolve) => hypervisorFor({ uri: bad() }).watchLifecycle(() => {}, resolve));
    assert.match(String(exited?.message), /Refused libvirt URI/);
    assert.equal((await hypervisorFor({ uri: 'qemu:///system' }).run(['uri'])).stdout.trim(), 'qemu:///system');
    await sleep(500);
    assert.equal(existsSync(marker), false);
  });
});

describe('installation settings and the command line', () => {
  test('HANGAR_LOCAL_LIBVIRT_URI and HANGAR_HOST_URI_ALLOWED_PARAMS are checked when the configuration loads', () => {
    const refused = (env: Record<string, string>, variable: string) =>
      assert.throws(() => loadConfig(env), (e: Error) => e instanceof ConfigError && e.message.startsWith(`Invalid configuration: ${variable}:`), JSON.stringify(env));
    refused({ HANGAR_LOCAL_LIBVIRT_URI: `qemu+ext:///system?command=${program}` }, 'HANGAR_LOCAL_LIBVIRT_URI');
    refused({ HANGAR_LOCAL_LIBVIRT_URI: 'qemu:///system?socket=/tmp/x' }, 'HANGAR_LOCAL_LIBVIRT_URI');
    refused({ HANGAR_HOST_URI_ALLOWED_PARAMS: 'keyfile,command' }, 'HANGAR_HOST_URI_ALLOWED_PARAMS');
    refused({ HANGAR_HOST_URI_ALLOWED_PARAMS: 'name' }, 'HANGAR_HOST_URI_ALLOWED_PARAMS');
    refused({ HANGAR_HOST_URI_ALLOWED_PARAMS: 'root' }, 'HANGAR_HOST_URI_ALLOWED_PARAMS');
    assert.equal(loadConfig({ HANGAR_LOCAL_LIBVIRT_URI: 'qemu:///system?socket=/tmp/x', HANGAR_HOST_URI_ALLOWED_PARAMS: 'socket' }).localLibvirtUri, 'qemu:///system?socket=/tmp/x');
    assert.equal(loadConfig({ HANGAR_LOCAL_LIBVIRT_URI: 'none' }).localLibvirtUri, undefined);
  });

  test('`hangar host add` refuses the same forms before it starts anything', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['server/main.ts', 'host', 'add', '--name', 'attack', '--uri', `qemu+ssh://localhost/system?%63ommand=${program}`],
        { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, HANGAR_DATA_DIR: 'memory://', LOG_LEVEL: 'silent' }, timeout: 60_000 },
        (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /parameter "command" is never allowed/);
    assert.equal(existsSync(marker), false);
  });
});

describe('an installation may allow a listed parameter', () => {
  const hangar = useTestHangar('postgres', { HANGAR_HOST_URI_ALLOWED_PARAMS: 'keyfile' });

  test('keyfile passes the check when allowed; command still never does', async () => {
    const t = hangar();
    const admin = await setupAdmin(t);
    const allowed = await t.gql(ADD, { i: { name: 'with-key', uri: 'qemu+ssh://hangar@127.0.0.1:1/system?keyfile=/nonexistent/id_ed25519&no_tty=1' } }, { cookie: admin });
    assert.equal(allowed.data.addHost.__typename, 'HostConnectionError', JSON.stringify(allowed));
    const refused = await t.gql(ADD, { i: { name: 'with-command', uri: `qemu+ssh://127.0.0.1:1/system?keyfile=/x&command=${program}` } }, { cookie: admin });
    assert.equal(refused.data.addHost.__typename, 'ValidationError');
    assert.equal(existsSync(marker), false);
  });
});
