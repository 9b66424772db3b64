import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CommandTimeoutError, HostUnreachableError } from '../hypervisor/errors.ts';
import { forTarget, type MigrationJob } from '../hypervisor/migration.ts';
import { defineOperation, KeepVmError, type OperationContext, type PeerHost } from './define.ts';
import { diskRowsOf } from './disks.ts';
import { diskVolumeName, seedVolumeName } from './volumes.ts';

// Moving a VM to another host. A running VM moves live (libvirt's migration: its memory, and its
// disks too unless both hosts see them on shared storage); a stopped one moves cold (its disks
// copied, its domain defined there). Whatever fails, exactly one copy of the VM is left: the
// rollback finishes a migration whose guest already runs on the target, and otherwise stops the
// job, removes the target's domain and the volumes made there, and keeps the VM on its source.
// What the first step refuses (KeepVmError) was refused before anything was made: no rollback, so
// a volume of the VM found on the target (a leftover, or the very disk on storage not declared
// shared) is never touched.

const STEPS = ['Check the target', 'Prepare the target', 'Copy the disks', 'Copy the memory', 'Switch over', 'Clean up the source'] as const;

export const migrateParams = z.object({
  targetHostId: z.uuid(),
  /** MiB/s the migration may use; absent: all there is. */
  bandwidthMiBs: z.number().int().min(1).max(100_000).nullish(),
  /** The longest the guest may be paused at the switch-over (QEMU's default is 300 ms). */
  maxDowntimeMs: z.number().int().min(10).max(60_000).nullish(),
  autoConverge: z.boolean().nullish(),
  /** A live migration still running after this long is aborted, or paused to finish when onTimeout is PAUSE. */
  timeoutSeconds: z.number().int().min(10).max(86_400).nullish(),
  onTimeout: z.enum(['abort', 'pause']).nullish(),
  /** Why this target (placement's reason), for the record. */
  reason: z.string().max(500).nullish(),
});
type Params = z.output<typeof migrateParams>;
type Ctx = OperationContext<(typeof STEPS)[number], Params>;

const MiB = 1024 * 1024;
const DEFAULT_TIMEOUT_S = 3600;

/** A VM's volumes on its host: its disk, the disks attached to it (disks.ts) and, when it has one, its cloud-init seed; pool: null for the host's disk pool. */
async function volumesOf(ctx: Pick<Ctx, 'hypervisor' | 'settings' | 'vm' | 'services'>): Promise<Array<{ name: string; pool: string | null; path: string; capacityBytes: number; readOnly: boolean }>> {
  const out = [];
  const attached = (await diskRowsOf(ctx)).filter((d) => !d.is_boot).map((d) => [d.volume, false, d.pool] as const);
  for (const [name, readOnly, pool] of [[diskVolumeName(ctx.vm.id), false, null], ...attached, [seedVolumeName(ctx.vm.id), true, null]] as const) {
    const path = await ctx.hypervisor.volumePath(pool ?? ctx.settings.diskPool, name);
    if (!path) continue;
    const info = await ctx.hypervisor.volumeInfo(pool ?? ctx.settings.diskPool, name);
    out.push({ name, pool, path, capacityBytes: info?.capacityBytes ?? 0, readOnly });
  }
  return out;
}

/** Where a volume is on a host: its own pool, or the host's disk pool. */
const poolOn = (settings: { diskPool: string }, volume: { pool: string | null }) => volume.pool ?? settings.diskPool;

/** Whether the disks are on storage both hosts see at the same path (both declare it and the target sees the very volumes). */
async function sharedStorage(ctx: Ctx, target: PeerHost, volumes: Awaited<ReturnType<typeof volumesOf>>): Promise<boolean> {
  if (!ctx.settings.diskPoolShared || !target.settings.diskPoolShared) return false;
  // A disk in a pool of its own is copied: only the disk pool is declared shared.
  if (volumes.some((v) => v.pool !== null)) return false;
  // libvirt learns of files another host made only when it looks at the directory again.
  await target.hypervisor.refreshPool(target.settings.diskPool);
  for (const volume of volumes) {
    const seen = await target.hypervisor.volumeByPath(volume.path);
    if (!seen || seen.capacityBytes !== volume.capacityBytes) throw new KeepVmError(`Both hosts say their disk pool is shared, but ${target.host.name} does not see ${volume.path}: check the shared mount`);
  }
  return true;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function rate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / MiB).toFixed(1)} MiB/s`;
}

/** Every name a VM's volumes have on a host begins with its id (disk, seed): what a failed migration may have left on the target. */
async function removeFromTarget(ctx: Ctx, target: PeerHost): Promise<void> {
  await target.hypervisor.destroy(ctx.vm.id);
  await target.hypervisor.undefine(ctx.vm.id);
  if (sharedOnBoth(ctx, target)) return;
  for (const name of (await target.hypervisor.listVolumes(target.settings.diskPool)).filter((n) => n.startsWith(ctx.vm.id))) await target.hypervisor.deleteVolume(target.settings.diskPool, name);
}

/** Both hosts declare shared storage: what the target sees of the VM is the source's own disk, never to be deleted. */
function sharedOnBoth(ctx: Ctx, target: PeerHost): boolean {
  return ctx.settings.diskPoolShared && target.settings.diskPoolShared;
}

export const vmMigrate = defineOperation({
  name: 'vm.migrate',
  steps: STEPS,
  privileges: ['VM.Migrate'],
  from: ['running', 'paused', 'stopped'],
  needsOnlineHost: true,
  failure: 'rollback',
  during: 'migrating',
  // A running migration is aborted (libvirt's job) and rolled back: the VM stays where it was.
  cancellable: 'between-steps',
  refuses: (vm) => (vm.iso_path ? 'It boots a file of its host (an ISO), which the other host does not have' : vm.cdrom_image_id ? 'An ISO is in its CD-ROM: eject it first' : null),
  params: migrateParams,
  action: { action: 'MIGRATE', label: 'Migrate', description: 'Moves the VM to another host: live while it runs, its disks copied unless both hosts share them' },
  async run(ctx) {
    const { hypervisor, vm, params } = ctx;
    const target = await ctx.services.peerHost(params.targetHostId);
    const state = await hypervisor.domainState(vm.id);
    if (state === null) {
      // Run again after its worker died past the switch-over: the guest is there, finish the move.
      if (!(await target.hypervisor.domainState(vm.id))) throw new Error(`The VM has no domain on ${ctx.host.name}`);
      for (const step of ['Check the target', 'Prepare the target', 'Copy the disks', 'Copy the memory'] as const) await ctx.skip(step, `The VM is on ${target.host.name} already`);
      await ctx.step('Switch over', () => ctx.services.moveVm(vm.id, target.host.id));
      await ctx.step('Clean up the source', async () => {
        if (sharedOnBoth(ctx, target)) return;
        for (const name of (await hypervisor.listVolumes(ctx.settings.diskPool)).filter((n) => n.startsWith(vm.id))) await hypervisor.deleteVolume(ctx.settings.diskPool, name);
      });
      return;
    }
    const live = state === 'running' || state === 'paused';
    let volumes: Awaited<ReturnType<typeof volumesOf>> = [];
    let shared = false;

    await ctx.step('Check the target', async (progress) => {
      if (target.host.id === ctx.host.id) throw new KeepVmError('The VM is on that host already');
      await target.hypervisor.listVolumes(target.settings.diskPool).catch((error: Error) => {
        throw new KeepVmError(`${target.host.name} does not answer, or has no pool ${target.settings.diskPool}: ${error.message}`);
      });
      if (ctx.host.domain_type === 'kvm' && target.host.domain_type === 'kvm' && ctx.host.capabilities && target.host.capabilities) {
        const model = (h: typeof ctx.host) => (h.capabilities as { cpuModel?: string }).cpuModel ?? '';
        if (model(ctx.host) !== model(target.host)) throw new KeepVmError(`The CPUs differ (${model(ctx.host)} here, ${model(target.host)} on ${target.host.name}): the guest's CPU would change under it`);
      }
      if (ctx.host.domain_type !== target.host.domain_type) throw new KeepVmError(`${ctx.host.name} runs ${ctx.host.domain_type} guests and ${target.host.name} ${target.host.domain_type}: a guest cannot move between them`);
      if (vm.network?.kind === 'network' && !(await target.hypervisor.networkActive(vm.network.name))) {
        throw new KeepVmError(`${target.host.name} has no running network ${vm.network.name}, which the VM's NIC is on`);
      }
      // The NICs attached since it was made, too.
      for (const nic of (await ctx.services.vmHardware(vm.id)).interfaces) {
        if (nic.network.kind === 'network' && nic.network.name !== vm.network?.name && !(await target.hypervisor.networkActive(nic.network.name))) {
          throw new KeepVmError(`${target.host.name} has no running network ${nic.network.name}, which the VM's NIC ${nic.mac} is on`);
        }
      }
      if (await target.hypervisor.domainState(vm.id)) throw new KeepVmError(`${target.host.name} already has a domain of this VM (left by an earlier attempt?): nothing was touched`);
      volumes = await volumesOf(ctx);
      if (!volumes.some((v) => !v.readOnly)) throw new KeepVmError('The VM has no disk on its host');
      shared = await sharedStorage(ctx, target, volumes);
      if (!shared) {
        for (const volume of volumes) {
          const pool = poolOn(target.settings, volume);
          const there = await target.hypervisor.volumePath(pool, volume.name).catch((error: Error) => {
            throw new KeepVmError(`${target.host.name} has no pool ${pool} for the disk ${volume.name}: ${error.message}`);
          });
          if (there) {
            throw new KeepVmError(`${target.host.name} already has a volume ${volume.name} in ${pool} and does not declare that pool shared: remove it there, or declare the pool shared if it is the same storage`);
          }
        }
      }
      if (params.reason) await ctx.line(`${target.host.name}: ${params.reason}`);
      await progress(100, `${live ? 'Live' : 'Cold'} migration to ${target.host.name}; ${shared ? 'disks on shared storage: only memory moves' : `disks copied (${gib(volumes.reduce((n, v) => n + v.capacityBytes, 0))})`}`);
    });

    // The target's copy of each volume, at its path there.
    const paths = new Map<string, string>();
    await ctx.step('Prepare the target', async () => {
      if (shared) {
        for (const volume of volumes) paths.set(volume.path, volume.path);
        return;
      }
      const dir = await mkdtemp(join(tmpdir(), 'hangar-migrate-'));
      try {
        for (const volume of volumes) {
          if (volume.readOnly) {
            // A small read-only volume (the seed): its bytes are copied through this side now.
            const file = join(dir, volume.name);
            await hypervisor.downloadVolume(poolOn(ctx.settings, volume), volume.name, file);
            paths.set(volume.path, await target.hypervisor.uploadVolume(poolOn(target.settings, volume), volume.name, file, 'raw'));
          } else if (live) {
            // An empty disk of the same size: the live migration mirrors the guest's disk into it.
            paths.set(volume.path, await target.hypervisor.createVolume(poolOn(target.settings, volume), volume.name, volume.capacityBytes, 'qcow2'));
          }
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    if (!live) {
      await ctx.step('Copy the disks', async (progress) => {
        const dir = await mkdtemp(join(tmpdir(), 'hangar-migrate-'));
        try {
          for (const volume of volumes.filter((v) => !v.readOnly)) {
            // Flattened first (an overlay's base is not on the target), then carried through this side.
            const flat = `${vm.id}-migrating.qcow2`;
            await hypervisor.deleteVolume(ctx.settings.diskPool, flat);
            await progress(10, `Flattening ${volume.name}`);
            await hypervisor.copyVolume(poolOn(ctx.settings, volume), volume.name, ctx.settings.diskPool, flat, 'qcow2');
            try {
              const file = join(dir, flat);
              await progress(40, `Copying ${gib(volume.capacityBytes)} to ${target.host.name}`);
              await hypervisor.downloadVolume(ctx.settings.diskPool, flat, file);
              paths.set(volume.path, await target.hypervisor.uploadVolume(poolOn(target.settings, volume), volume.name, file, 'qcow2'));
            } finally {
              await hypervisor.deleteVolume(ctx.settings.diskPool, flat);
            }
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
      await ctx.skip('Copy the memory', 'The VM is not running');
      await ctx.step('Switch over', async () => {
        await target.hypervisor.define(forTarget(await hypervisor.migratableXml(vm.id), paths, target.settings.vncListen));
        await ctx.services.moveVm(vm.id, target.host.id);
        await hypervisor.undefine(vm.id);
      });
    } else {
      const xml = forTarget(await hypervisor.migratableXml(vm.id), paths, target.settings.vncListen);
      let phase: 'disks' | 'memory' = shared ? 'memory' : 'disks';
      let enterMemory: () => void = () => {};
      const memoryBegan = new Promise<void>((resolve) => (enterMemory = resolve));
      let report: (job: MigrationJob) => void = () => {};
      const timeoutS = params.timeoutSeconds ?? DEFAULT_TIMEOUT_S;
      const abort = new AbortController();
      let timedOut = false;
      // A copy that stops moving (the link between the hosts cut, the target's daemon gone) would wait for ever.
      let stalled = false;
      let lastMoved = { bytes: -1, at: Date.now() };
      const watchdog = setInterval(() => {
        if (stalled || Date.now() - lastMoved.at < ctx.config.migrationStallMs) return;
        stalled = true;
        void ctx.line(`The copy made no progress for ${Math.round(ctx.config.migrationStallMs / 1000)} s: aborting the migration`);
        abort.abort();
      }, 1000);
      const timer = setTimeout(() => {
        timedOut = true;
        if (params.onTimeout === 'pause') {
          void ctx.line(`The migration did not converge within ${timeoutS} s: pausing the guest so it finishes`);
          void hypervisor.suspend(vm.id).catch(() => {});
        } else abort.abort();
      }, timeoutS * 1000);
      const migration = hypervisor
        .migrateLive(
          vm.id,
          {
            destUri: target.hypervisor.uri,
            migrateAddress: target.migrationAddress,
            copyStorage: !shared,
            targetXml: xml,
            sharedStorage: shared,
            bandwidthMiBs: params.bandwidthMiBs ?? null,
            maxDowntimeMs: params.maxDowntimeMs ?? null,
            autoConverge: params.autoConverge ?? false,
          },
          (job) => {
            const moved = job.diskProcessed + job.memoryProcessed;
            if (moved !== lastMoved.bytes) lastMoved = { bytes: moved, at: Date.now() };
            if (phase === 'disks' && job.memoryTotal > 0 && job.diskProcessed >= job.diskTotal) {
              phase = 'memory';
              enterMemory();
            }
            report(job);
          },
          AbortSignal.any([abort.signal, ctx.signal]),
        )
        .catch((error: unknown) => {
          // Said in Hangar's words, whichever step was running when it was aborted.
          if (timedOut && params.onTimeout !== 'pause') throw new Error(`The migration did not converge within ${timeoutS} s and was aborted; the VM runs on ${ctx.host.name}`);
          if (stalled) throw new Error(`The migration made no progress for ${Math.round(ctx.config.migrationStallMs / 1000)} s (is ${target.host.name} reachable?) and was aborted`);
          throw error;
        })
        .finally(() => {
          clearTimeout(timer);
          clearInterval(watchdog);
          enterMemory();
        });
      // Steps follow the job; the migration itself is one libvirt call.
      migration.catch(() => {});
      if (shared) await ctx.skip('Copy the disks', 'The disks are on storage both hosts see');
      else {
        await ctx.step('Copy the disks', async (progress) => {
          report = (job) => void progress(job.diskTotal ? (job.diskProcessed / job.diskTotal) * 100 : 0, `${gib(job.diskProcessed)} of ${gib(job.diskTotal)}`);
          await Promise.race([memoryBegan, migration]);
        });
      }
      await ctx.step('Copy the memory', async (progress) => {
        report = (job) =>
          void progress(
            job.memoryTotal ? Math.min(99, (job.memoryProcessed / job.memoryTotal) * 100) : 0,
            `${rate(job.memoryBps)}, ${job.dirtyRate} dirty pages/s, pass ${job.iteration}`,
          );
        await migration;
      });
      await ctx.step('Switch over', async (progress) => {
        const there = await target.hypervisor.domainState(vm.id);
        if (there !== 'running' && there !== 'paused') throw new Error(`After the migration the VM is ${there ?? 'missing'} on ${target.host.name}`);
        await ctx.services.moveVm(vm.id, target.host.id);
        // Paused at the end of a migration that did not converge: it goes on running there.
        if (timedOut && params.onTimeout === 'pause' && state === 'running') await target.hypervisor.resume(vm.id);
        const done = await target.hypervisor.migrationJob(vm.id, { completed: true }).catch(() => null);
        await progress(100, done?.downtimeMs !== null && done?.downtimeMs !== undefined ? `Running on ${target.host.name}; the guest was paused ${done.downtimeMs} ms` : `Running on ${target.host.name}`);
        if (done?.downtimeMs !== null && done?.downtimeMs !== undefined) await ctx.line(`downtime ${done.downtimeMs} ms, ${gib(done.memoryProcessed)} of memory moved`);
      });
    }

    await ctx.step('Clean up the source', async () => {
      await hypervisor.undefine(vm.id);
      if (!shared) for (const volume of volumes) await hypervisor.deleteVolume(poolOn(ctx.settings, volume), volume.name);
    });
  },
  // A hook that replaces the migration is told where to: the target's libvirt URI and migration address.
  async hookParams(ctx) {
    const target = await ctx.services.peerHost(ctx.params.targetHostId);
    return { targetUri: target.hypervisor.uri, targetHost: target.host.name, targetMigrationAddress: target.migrationAddress };
  },
  // ...and Hangar checks it did it: the domain is there and no longer here, and the VM's row follows it.
  async afterHook(ctx) {
    const target = await ctx.services.peerHost(ctx.params.targetHostId);
    const [here, there] = await Promise.all([ctx.hypervisor.domainState(ctx.vm.id), target.hypervisor.domainState(ctx.vm.id)]);
    if (there === null || here !== null) throw new Error(`The vm.migrate hook ended, but the VM is ${here !== null ? `still on ${ctx.host.name}` : `not on ${target.host.name}`}`);
    await ctx.services.moveVm(ctx.vm.id, target.host.id);
  },
  // Exactly one copy stays: where the guest already runs on the target (and no longer here) the
  // migration is finished; otherwise the target is cleared and the VM stays here.
  async rollback(ctx) {
    const target = await ctx.services.peerHost(ctx.params.targetHostId);
    await ctx.hypervisor.abortJob(ctx.vm.id).catch(() => {});
    const [here, there] = await Promise.all([ctx.hypervisor.domainState(ctx.vm.id), target.hypervisor.domainState(ctx.vm.id).catch(() => null)]);
    const moved = await ctx.services.vmHostId(ctx.vm.id);
    if ((there === 'running' || there === 'paused') && here === null) {
      if (moved !== target.host.id) await ctx.services.moveVm(ctx.vm.id, target.host.id);
      if (!sharedOnBoth(ctx, target)) {
        for (const name of (await ctx.hypervisor.listVolumes(ctx.settings.diskPool)).filter((n) => n.startsWith(ctx.vm.id))) await ctx.hypervisor.deleteVolume(ctx.settings.diskPool, name);
      }
      await ctx.line(`The guest was already running on ${target.host.name}: the migration was finished instead of undone`);
      return;
    }
    if (here === null && there !== null && moved === target.host.id) {
      // A cold migration that switched over: the target's definition is the VM's now.
      return;
    }
    try {
      await removeFromTarget(ctx, target);
    } catch (error) {
      if (there !== null || !(error instanceof HostUnreachableError || error instanceof CommandTimeoutError)) throw error;
      // The target does not answer: the guest runs here alone (its copy there, if any, is paused and never ran).
      await ctx.services.leaveOnHost(target.host.id, ctx.vm.id, `a migration of the VM from ${ctx.host.name} that failed`);
      await ctx.warn(`${target.host.name} does not answer: what the migration made there is removed when it answers again`);
    }
    if (moved !== ctx.host.id) await ctx.services.moveVm(ctx.vm.id, ctx.host.id);
    // A guest paused so that a migration would finish, which then failed, runs on here.
    if (here === 'paused' && ctx.params.onTimeout === 'pause') await ctx.hypervisor.resume(ctx.vm.id).catch(() => {});
  },
});
