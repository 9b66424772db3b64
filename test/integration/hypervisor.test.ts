// Real libvirtd (qemu:///system, TCG guests), no mocks. Everything created is removed in `after`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { domainXml, type DomainSpec } from '../../server/hypervisor/domain-xml.ts';
import { HostUnreachableError } from '../../server/hypervisor/errors.ts';
import { findHook, HookFailedError, runAction, runHook } from '../../server/hypervisor/hooks.ts';
import type { LifecycleEvent } from '../../server/hypervisor/events.ts';
import { hypervisorFor } from '../../server/hypervisor/libvirt-hypervisor.ts';

const virsh = hypervisorFor({ uri: 'qemu:///system' }, { timeoutMs: 30_000 });
const run = randomUUID().slice(0, 8);
const pool = `hangar-test-${run}`;
const poolParent = '/var/lib/libvirt/hangar-test';
const poolPath = join(poolParent, run);
const domains = new Set<string>();
const volumes = new Set<string>();

function spec(overrides: Partial<DomainSpec> = {}): DomainSpec {
  const id = randomUUID();
  domains.add(id);
  return { id, title: `test ${run}`, description: '', domainType: 'qemu', vcpus: 1, memoryMb: 64, disks: [], vncListen: '127.0.0.1', guestAgent: true, ...overrides };
}

after(async () => {
  // Best effort, each step on its own: one failure must not leave the rest behind.
  for (const id of domains) {
    await virsh.destroy(id).catch(() => {});
    await virsh.undefine(id).catch(() => {});
  }
  for (const volume of volumes) await virsh.deleteVolume(pool, volume).catch(() => {});
  await virsh.run(['pool-destroy', '--pool', pool]).catch(() => {});
  await virsh.run(['pool-undefine', '--pool', pool]).catch(() => {});
  await rm(poolPath, { recursive: true, force: true });
  await rmdir(poolParent).catch(() => {}); // only when no other run uses it
});

describe('domains and storage', () => {
  test('a blank-disk domain goes through its whole lifecycle; repeated calls are harmless', async () => {
    await virsh.ensurePool(pool, poolPath);
    await virsh.ensurePool(pool, poolPath); // idempotent
    const volume = `disk-${run}.qcow2`;
    volumes.add(volume);
    const path = await virsh.createVolume(pool, volume, 1024 ** 3, 'qcow2');
    assert.equal(path, join(poolPath, volume));
    assert.equal(await virsh.volumePath(pool, volume), path);
    assert.deepEqual(await virsh.listVolumes(pool), [volume]);

    const s = spec({ memoryMb: 96, disks: [{ path, format: 'qcow2' }], serialLogPath: join(poolParent, `${run}-serial.log`) });
    await virsh.define(domainXml(s));
    assert.equal(await virsh.domainState(s.id), 'shutoff');
    assert.equal((await virsh.listStates()).get(s.id), 'shutoff');

    await virsh.start(s.id);
    await virsh.start(s.id); // already running: fine
    assert.equal(await virsh.domainState(s.id), 'running');
    assert.equal((await virsh.listStates()).get(s.id), 'running');
    await virsh.suspend(s.id);
    assert.equal(await virsh.domainState(s.id), 'paused');
    await virsh.resume(s.id);
    await virsh.resume(s.id); // already running: fine (a retried resume)
    assert.equal(await virsh.domainState(s.id), 'running');
    await virsh.reset(s.id);
    await virsh.reboot(s.id);
    await virsh.shutdown(s.id); // accepted; a diskless BIOS may or may not act on it
    await virsh.destroy(s.id);
    assert.equal(await virsh.domainState(s.id), 'shutoff');
    await virsh.destroy(s.id); // not running: fine

    await virsh.undefine(s.id);
    await virsh.undefine(s.id); // absent: fine
    assert.equal(await virsh.domainState(s.id), null);
    assert.equal((await virsh.listStates()).has(s.id), false);
    await virsh.destroy(s.id); // absent: fine

    await virsh.deleteVolume(pool, volume);
    await virsh.deleteVolume(pool, volume); // absent: fine
    assert.equal(await virsh.volumePath(pool, volume), null);
    assert.deepEqual(await virsh.listVolumes(pool), []);
    await rm(join(poolParent, `${run}-serial.log`), { force: true });
  });

  test('non-idempotent actions still report libvirt errors', async () => {
    const s = spec();
    await virsh.define(domainXml(s));
    await assert.rejects(virsh.suspend(s.id), /domain is not running/);
    await assert.rejects(virsh.start('--all'), /invalid VM id/);
    await virsh.undefine(s.id);
  });

  test('title and description cannot inject XML', async () => {
    const hostile = `a<b>&c'd"e]]></title><on_crash>restart</on_crash>&amp;\n<![CDATA[x]]>\r\nend`;
    const s = spec({ title: hostile, description: `${hostile}\n</description><on_poweroff>preserve</on_poweroff>` });
    await virsh.define(domainXml(s));
    const { stdout } = await virsh.run(['dumpxml', '--domain', s.id]);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: false, processEntities: true });
    const domain = parser.parse(stdout).domain;
    // libvirt refuses line breaks in titles, so domainXml folds them into spaces; XML turns CR LF
    // into LF, so domainXml normalises descriptions to LF. Everything else is verbatim.
    assert.equal(domain.title, hostile.replace(/\r\n|\n/g, ' '));
    assert.equal(domain.description, s.description.replace(/\r\n/g, '\n'));
    assert.equal(domain.on_crash, 'destroy');
    assert.equal(domain.on_poweroff, 'destroy');
    assert.equal(stdout.match(/<on_crash>/g)?.length, 1);
    assert.equal(stdout.match(/<on_poweroff>/g)?.length, 1);
    const expected = ['@type', 'name', 'uuid', 'title', 'description', 'memory', 'currentMemory', 'vcpu', 'resource', 'os', 'features', 'cpu', 'clock', 'on_poweroff', 'on_reboot', 'on_crash', 'pm', 'devices', '#text'];
    assert.deepEqual(Object.keys(domain).filter((k) => !expected.includes(k)), []);
    await virsh.undefine(s.id);
  });

  test('watchLifecycle reports Started and Stopped within 2 s', async () => {
    const s = spec();
    const xml = domainXml(s);
    const events: LifecycleEvent[] = [];
    let exitError: Error | null | undefined;
    const watcher = virsh.watchLifecycle(
      (e) => events.push(e),
      (error) => (exitError = error),
    );
    const waitFor = async (event: string, ms: number) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find((e) => e.vmId === s.id && e.event === event);
        if (found) return found;
        if (Date.now() >= deadline) assert.fail(`no ${event} event within ${ms} ms; got ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      // Registration is asynchronous: (re)define until the watcher sees it, so it is surely listening.
      for (let i = 0; i < 25 && !events.some((e) => e.vmId === s.id && e.event === 'Defined'); i++) {
        await virsh.define(xml);
        await new Promise((r) => setTimeout(r, 200));
      }
      await waitFor('Defined', 1);
      await virsh.start(s.id);
      assert.equal((await waitFor('Started', 2000)).detail, 'Booted');
      await virsh.destroy(s.id);
      assert.equal((await waitFor('Stopped', 2000)).detail, 'Destroyed');
    } finally {
      watcher.stop();
      await virsh.undefine(s.id);
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(exitError, null); // stop() ends it without an error
  });

  test('an unreachable URI fails fast with HostUnreachableError', async () => {
    const far = hypervisorFor({ uri: 'qemu+tcp://127.0.0.1:1/system' }, { timeoutMs: 10_000 });
    const started = Date.now();
    await assert.rejects(far.listStates(), HostUnreachableError);
    await assert.rejects(far.domainState(randomUUID()), HostUnreachableError);
    const exit = await new Promise<Error | null>((resolve) => far.watchLifecycle(() => {}, resolve));
    assert.ok(exit instanceof HostUnreachableError, String(exit));
    assert.ok(Date.now() - started < 5000);
  });
});

describe('hooks', () => {
  let dir = '';
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'hangar-hooks-'))));
  after(() => rm(dir, { recursive: true, force: true }));
  const hook = async (name: string, body: string, mode = 0o755) => {
    await writeFile(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
    await chmod(join(dir, name), mode);
  };

  test('a replacing hook runs instead of the built-in, with JSON on stdin and env vars', async () => {
    await hook('vm.start', 'echo "stdin=$(cat)"; echo "action=$HANGAR_ACTION id=$HANGAR_VM_ID n=$HANGAR_MEMORY_MB ok=$HANGAR_FORCE opts=$HANGAR_OPTIONS"');
    const lines: string[] = [];
    let builtIn = false;
    const params = { vmId: 'abc', memoryMb: 64, force: true, options: { a: 1 } };
    const result = await runAction(dir, 'vm.start', params, (l) => lines.push(l), async () => void (builtIn = true));
    assert.deepEqual(result, { replaced: true });
    assert.equal(builtIn, false);
    assert.deepEqual(lines, [`stdin=${JSON.stringify(params)}`, 'action=vm.start id=abc n=64 ok=true opts={"a":1}']);
  });

  test('pre- and post- hooks run around the built-in, in order', async () => {
    await hook('pre-vm.stop', 'echo "pre $HANGAR_ACTION"');
    await hook('post-vm.stop', 'echo "post $HANGAR_ACTION"');
    const log: string[] = [];
    const result = await runAction(dir, 'vm.stop', {}, (l) => log.push(l), async () => void log.push('built-in'));
    assert.deepEqual(result, { replaced: false });
    assert.deepEqual(log, ['pre pre-vm.stop', 'built-in', 'post post-vm.stop']);
  });

  test('stdout lines arrive while the hook runs', async () => {
    await hook('slow', 'echo first; sleep 0.6; echo second');
    const times: number[] = [];
    await runHook(join(dir, 'slow'), 'slow', {}, () => times.push(Date.now()), 5000);
    assert.equal(times.length, 2);
    assert.ok(times[1] - times[0] >= 400, `lines were not streamed: ${times[1] - times[0]} ms apart`);
  });

  test('a failing hook rejects with its exit code and stderr; a failing pre- hook stops the action', async () => {
    await hook('vm.fail', 'echo "partial"; echo "disk is on fire" >&2; exit 3');
    const error = await runAction(dir, 'vm.fail', {}, () => {}, async () => {}).catch((e: unknown) => e);
    assert.ok(error instanceof HookFailedError);
    assert.equal(error.exitCode, 3);
    assert.equal(error.stderr, 'disk is on fire');
    assert.equal(error.hook, 'vm.fail');

    await hook('pre-vm.guarded', 'echo nope >&2; exit 1');
    let builtIn = false;
    await assert.rejects(runAction(dir, 'vm.guarded', {}, () => {}, async () => void (builtIn = true)), HookFailedError);
    assert.equal(builtIn, false);
  });

  test('a hook past its timeout is killed', async () => {
    await hook('vm.hang', 'sleep 30');
    const started = Date.now();
    await assert.rejects(runAction(dir, 'vm.hang', {}, () => {}, async () => {}, 300), (e: unknown) => e instanceof HookFailedError && e.exitCode === null);
    assert.ok(Date.now() - started < 3000);
  });

  test('no hooks dir, a missing dir or a non-executable file means the built-in runs', async () => {
    await hook('vm.noexec', 'exit 1', 0o644);
    for (const hooksDir of [undefined, join(dir, 'missing')]) {
      let builtIn = false;
      assert.deepEqual(await runAction(hooksDir, 'vm.start', {}, () => {}, async () => void (builtIn = true)), { replaced: false });
      assert.equal(builtIn, true);
    }
    assert.equal(await findHook(dir, 'vm.noexec'), null);
    assert.equal(await findHook(dir, 'vm.start'), join(dir, 'vm.start'));
  });

  test('names that could leave the hooks dir are refused', async () => {
    for (const name of ['../vm.start', '..', '.hidden', 'a/b', 'VM.start', '']) await assert.rejects(findHook(dir, name), /invalid hook name/);
    let builtIn = false;
    await assert.rejects(runAction(dir, '../../bin/true', {}, () => {}, async () => void (builtIn = true)), /invalid hook name/);
    assert.equal(builtIn, false);
  });
});
