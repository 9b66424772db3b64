// Live migration through Hangar against `virsh migrate` by hand with the same flags, in the same
// run, on the same idle guest (512 MiB, TCG, firmware only) between this machine's libvirtd and the
// second host of scripts/test-host. Its disk holds 256 MiB of random data, so each migration copies
// it (local storage, --copy-storage-all) as well as the memory.
//   Hangar: migrateVm sent → the domain runs on the target and is gone here (its task then ends).
//   By hand: the target volume made (vol-create-as), `virsh migrate --live --persistent
//   --undefinesource --copy-storage-all --migrateuri`, the source volume deleted: what Hangar does.
// Each round moves the guest out and back once each way (alternating which goes first); the
// figures are medians of the outward moves. Also libvirt's downtime, and the disk copy's rate.
// Settings: BENCH_MIGRATE_ROUNDS (5).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { holdSecondHost, SECOND_HOST, secondHostUp, startSecondHost, stopSecondHost } from '../../test/support/second-host.ts';
import type { BenchContext } from './lib/context.ts';
import { domState, payloadOf, sleep, startLibvirtHangar, virsh, waitFor, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median } from './lib/stats.ts';

export const TARGET_RATIO = 1.15;
export const TARGET_DOWNTIME_MS = 300;
export const TARGET_STORAGE_RATIO = 0.9;
const DATA_MIB = 256;
const POLL_MS = 20;
const run = promisify(execFile);
const virsh2 = async (...args: string[]) => (await run('virsh', ['-c', SECOND_HOST.uri, ...args], { timeout: 600_000 })).stdout.trim();

export async function benchMigrate(ctx: BenchContext): Promise<void> {
  const rounds = Math.round(Number(process.env.BENCH_MIGRATE_ROUNDS ?? 5));
  if (!Number.isFinite(rounds) || rounds < 3) throw new Error(`BENCH_MIGRATE_ROUNDS must be at least 3, not ${process.env.BENCH_MIGRATE_ROUNDS}`);
  let h: LibvirtHangar | undefined;
  let vmGlobalId = '';
  let domain = '';
  const dir = await mkdtemp(join(tmpdir(), 'hangar-bench-migrate-'));
  const call = (query: string, variables?: Record<string, unknown>) => h!.call(query, variables);
  const hostOf = async () => (await call(`query($id: ID!) { node(id: $id) { ... on Vm { state host { name } } } }`, { id: vmGlobalId })).body.data?.node;
  const gone = async (uri: 'local' | 'hv2') => ((uri === 'local' ? await domState(domain) : await virsh2('domstate', domain).catch(() => null)) ?? null) === null;
  const runningOn = async (uri: 'local' | 'hv2') => (uri === 'local' ? await domState(domain) : await virsh2('domstate', domain).catch(() => null)) === 'running';

  // The second host alone (no test file uses it meanwhile); one that was already up (tests) is left up.
  const release = await holdSecondHost('exclusive');
  const wasUp = await secondHostUp();
  try {
    await startSecondHost();
    h = await startLibvirtHangar({ HANGAR_LOCAL_NETWORK: 'none' });
    const hosts = (await call('{ hosts { id name } }')).body.data.hosts as Array<{ id: string; name: string }>;
    const local = hosts.find((x) => x.name === 'local')!.id;
    const set = (await call(`mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) { __typename ... on Error { message } } }`, { id: local, input: { settings: { migrationAddress: SECOND_HOST.localAddress } } })).body.data.updateHost;
    if (set.__typename !== 'Host') throw new Error(`updateHost local: ${set.message}`);
    const added = (await call(`mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Host { id } ... on Error { message } } }`, { input: { name: 'hv2', uri: SECOND_HOST.uri, settings: { vncListen: SECOND_HOST.address } } })).body.data.addHost;
    if (added.__typename !== 'Host') throw new Error(`addHost hv2: ${added.message}`);
    const ids = { local, hv2: added.id as string };

    // The guest: 512 MiB, firmware only, made stopped; its disk filled with random data, then started.
    const created = payloadOf(await call(`mutation($input: CreateVmInput!) { createVm(input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { input: { name: `bench-migrate-${process.pid}`, vcpus: 1, memoryMb: 512, diskGb: 1, start: false, hostId: ids.local } }));
    vmGlobalId = created.vm.id;
    domain = Buffer.from(vmGlobalId, 'base64').toString('utf8').split(':')[1];
    if ((await h.taskDone(created.task.id)).status !== 'SUCCEEDED') throw new Error('createVm failed');
    const raw = join(dir, 'data.raw');
    const qcow = join(dir, 'data.qcow2');
    await run('sh', ['-c', `head -c ${DATA_MIB}M /dev/urandom > ${raw}`]);
    await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, qcow]);
    await run('qemu-img', ['resize', '-f', 'qcow2', qcow, '1G']);
    await virsh('vol-upload', '--pool', 'hangar-disks', `${domain}.qcow2`, qcow);
    const started = payloadOf(await call(`mutation($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmGlobalId }));
    if ((await h.taskDone(started.task.id)).status !== 'SUCCEEDED') throw new Error('startVm failed');
    ctx.note(`migrate: guest ${domain} (512 MiB, ${DATA_MIB} MiB of disk data) running on local; ${rounds} rounds`);

    const settled = async (where: 'local' | 'hv2') => {
      await waitFor(`Hangar to show the VM running on ${where}`, async () => {
        const vm = await hostOf();
        return vm?.state === 'RUNNING' && vm.host?.name === where;
      }, 60_000, 100);
      await sleep(300);
    };

    const viaHangar = async (to: 'local' | 'hv2') => {
      const from = to === 'hv2' ? 'local' : 'hv2';
      const began = performance.now();
      const queued = (await call(`mutation($id: ID!, $input: MigrateVmInput) { migrateVm(id: $id, input: $input) { __typename ... on MigrateVmPayload { task { id } } ... on Error { message } } }`, { id: vmGlobalId, input: { targetHostId: ids[to] } })).body.data.migrateVm;
      if (queued.__typename !== 'MigrateVmPayload') throw new Error(`migrateVm: ${queued.message}`);
      await waitFor(`the guest on ${to}, gone from ${from}`, async () => (await runningOn(to)) && (await gone(from)), 600_000, POLL_MS);
      const ms = performance.now() - began;
      const task = await h!.taskDone(queued.task.id, 600_000);
      if (task.status !== 'SUCCEEDED') throw new Error(`migrate task ${task.status}: ${task.error}`);
      await settled(to);
      return ms;
    };

    // What Hangar does, by hand: the empty volume on the target, the migration, the source volume deleted.
    const byHand = async (to: 'local' | 'hv2') => {
      const [fromUri, toUri, address] = to === 'hv2' ? ['qemu:///system', SECOND_HOST.uri, SECOND_HOST.address] : [SECOND_HOST.uri, 'qemu:///system', SECOND_HOST.localAddress];
      const onFrom = (...args: string[]) => run('virsh', ['-c', fromUri, ...args], { timeout: 600_000 });
      const onTo = (...args: string[]) => run('virsh', ['-c', toUri, ...args], { timeout: 600_000 });
      const began = performance.now();
      await onTo('vol-create-as', 'hangar-disks', `${domain}.qcow2`, '1G', '--format', 'qcow2');
      await onFrom('migrate', '--live', '--persistent', '--undefinesource', '--copy-storage-all', '--domain', domain, '--desturi', toUri, '--migrateuri', `tcp://${address}`, '--disks-uri', `tcp://${address}`);
      const ms = performance.now() - began;
      await onFrom('vol-delete', '--pool', 'hangar-disks', `${domain}.qcow2`);
      return ms;
    };

    // One unmeasured move each way by Hangar first (page cache, first connections).
    await viaHangar('hv2');
    await viaHangar('local');

    const hangarMs: number[] = [];
    const virshMs: number[] = [];
    const downtimes: number[] = [];
    const diskMbS: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const hangarFirst = round % 2 === 0;
      for (const which of hangarFirst ? ['hangar', 'virsh'] : ['virsh', 'hangar']) {
        if (which === 'hangar') {
          hangarMs.push(await viaHangar('hv2'));
          const job = await virsh2('domjobinfo', domain, '--completed', '--rawstats').catch(() => '');
          const downtime = Number(/^downtime:\s*(\d+)/m.exec(job)?.[1] ?? NaN);
          if (Number.isFinite(downtime)) downtimes.push(downtime);
          await viaHangar('local');
        } else {
          // Hangar would see the domain leave: it is moved out and back while Hangar's record stays on local.
          const out = await byHand('hv2');
          virshMs.push(out);
          diskMbS.push(DATA_MIB / (out / 1000));
          await byHand('local');
          await settled('local');
        }
      }
      ctx.note(`migrate: round ${round + 1}: hangar ${hangarMs[round].toFixed(0)} ms, virsh ${virshMs[round].toFixed(0)} ms, downtime ${downtimes[round] ?? '?'} ms`);
    }
    const ratio = median(hangarMs) / median(virshMs);
    const hangarMbS = DATA_MIB / (median(hangarMs) / 1000);
    ctx.figure('migrate_ms', median(hangarMs), 'ms');
    ctx.figure('virsh_migrate_ms', median(virshMs), 'ms');
    ctx.figure('migrate_vs_virsh_ratio', ratio, 'ratio');
    if (downtimes.length) ctx.figure('migrate_downtime_ms', median(downtimes), 'ms');
    ctx.figure('migrate_local_storage_mb_s', hangarMbS, 'MB/s');
    ctx.figure('migrate_local_storage_vs_virsh_ratio', hangarMbS / median(diskMbS), 'ratio');
    ctx.note(ratio <= TARGET_RATIO ? `migrate: target met, ratio ${ratio.toFixed(3)} <= ${TARGET_RATIO}` : `migrate: TARGET MISSED, ratio ${ratio.toFixed(3)} > ${TARGET_RATIO}`);
  } finally {
    if (domain) {
      for (const onHost of [(...a: string[]) => virsh(...a), (...a: string[]) => virsh2(...a)]) {
        await onHost('destroy', domain).catch(() => {});
        await onHost('undefine', domain, '--nvram').catch(() => {});
        await onHost('vol-delete', '--pool', 'hangar-disks', `${domain}.qcow2`).catch(() => {});
      }
    }
    await h?.stop().catch((error: Error) => ctx.note(`migrate: Hangar stop failed: ${error.message}`));
    if (!wasUp) await stopSecondHost().catch(() => {});
    release();
    await rm(dir, { recursive: true, force: true });
  }
}
