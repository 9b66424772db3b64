// Real libvirtd (qemu:///system, TCG guests), no mocks: the power-off ISO boots and its guest
// powers the machine off by itself. Everything created is removed in `after`.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { makePowerOffIso } from '../support/poweroff-iso.ts';

const run = promisify(execFile);
const URI = 'qemu:///system';
// qemu runs as its own user under qemu:///system: the ISO must be somewhere it can read.
const IMAGES = '/var/lib/libvirt/images/hangar-test';
const DELAY_SECONDS = 5;

async function virsh(...args: string[]): Promise<string> {
  const { stdout } = await run('virsh', ['-c', URI, ...args], { timeout: 30_000 });
  return stdout.trim();
}

function domainXml(name: string, iso: string, machine: string | undefined): string {
  const machineAttr = machine ? ` machine='${machine}'` : '';
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'${machineAttr}>hvm</type>
    <boot dev='cdrom'/>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <source file='${iso}'/>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

const domains: string[] = [];
const watchers: ChildProcess[] = [];

after(async () => {
  for (const watcher of watchers) watcher.kill();
  for (const name of domains) {
    await virsh('destroy', name).catch(() => {});
    await virsh('undefine', name).catch(() => {});
  }
});

describe('the power-off ISO', { concurrency: true }, () => {
  test('the same delay gives the same ISO', async () => {
    await mkdir(IMAGES, { recursive: true });
    const first = await makePowerOffIso(IMAGES, DELAY_SECONDS);
    assert.equal(await makePowerOffIso(IMAGES, DELAY_SECONDS), first);
    assert.notEqual(await makePowerOffIso(IMAGES, DELAY_SECONDS + 1), first);
  });

  for (const machine of [undefined, 'q35']) {
    test(`a guest booted from it powers itself off [machine ${machine ?? 'default'}]`, async (t) => {
      await mkdir(IMAGES, { recursive: true });
      await chmod(IMAGES, 0o755);
      const iso = await makePowerOffIso(IMAGES, DELAY_SECONDS);
      const name = `hangar-fixture-${randomBytes(4).toString('hex')}`;
      domains.push(name);

      const xmlDir = await mkdtemp(join(tmpdir(), 'hangar-fixture-'));
      try {
        await writeFile(join(xmlDir, 'domain.xml'), domainXml(name, iso, machine));
        await virsh('define', join(xmlDir, 'domain.xml'));
      } finally {
        await rm(xmlDir, { recursive: true, force: true });
      }

      // Lifecycle events tell a guest-initiated shutdown from a host-initiated one.
      let events = '';
      const watcher = spawn('virsh', ['-c', URI, 'event', '--domain', name, '--event', 'lifecycle', '--loop', '--timestamp', '--timeout', String(DELAY_SECONDS + 60)], { stdio: ['ignore', 'pipe', 'ignore'] });
      watchers.push(watcher);
      watcher.stdout!.setEncoding('utf8').on('data', (chunk: string) => { events += chunk; });
      await sleep(300); // let virsh register for events

      await virsh('start', name);
      const started = Date.now();
      assert.match(await virsh('domstate', '--reason', name), /^running/);

      const deadline = started + (DELAY_SECONDS + 20) * 1000;
      let state = '';
      while (Date.now() < deadline) {
        state = await virsh('domstate', name);
        if (state === 'shut off') break;
        await sleep(250);
      }
      const shutOffMs = Date.now() - started;
      assert.equal(state, 'shut off', `still ${state} ${DELAY_SECONDS + 20} s after start`);
      assert.equal(await virsh('domstate', '--reason', name), 'shut off (shutdown)');
      for (let i = 0; i < 20 && !events.includes('Stopped Shutdown'); i++) await sleep(100);
      // "2026-11-25 11:55:08.623+0000: event 'lifecycle' for domain '…': Shutdown Finished after guest request"
      const request = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d+)([+-]\d\d)(\d\d): .*Shutdown Finished after guest request/m.exec(events);
      assert.ok(request, `no guest-initiated shutdown among the events:\n${events}`);
      assert.match(events, /Stopped Shutdown/);
      const guestRequestMs = Date.parse(`${request[1]}T${request[2]}${request[3]}:${request[4]}`) - started;
      assert.ok(guestRequestMs >= DELAY_SECONDS * 1000 - 500, `powered off after ${guestRequestMs} ms, before the ${DELAY_SECONDS} s delay`);
      t.diagnostic(`start -> guest power-off request ~${guestRequestMs} ms, start -> shut off ${shutOffMs} ms`);
    });
  }
});
