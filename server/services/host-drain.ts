// Host maintenance: a host in maintenance takes no new VM; a drain moves its VMs away too. The drain
// is a parent task (host.drain) whose children are the migrations it queued, one per VM, placed one
// after the other so two VMs do not count on the same free memory. Running and paused VMs move live;
// stopped ones stay, or move cold when asked. A VM that cannot move (no room elsewhere, a task of its
// own under way, no right to act on it) is named in the drain's log, and a running one left behind
// fails the drain: the host is not empty.
import { z } from 'zod';
import type { HostRow, TaskRow } from '../../db/types.ts';
import { ConflictError, NamedError, NotFoundError, PermissionError } from '../errors.ts';
import { hasPrivilege } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { publishHost } from './hosts.ts';
import { DRAIN_OPERATION, finishTaskIn, insertTask, publishTask } from './tasks.ts';
import { parseInput } from './validation.ts';
import { announceQueued, lockedVmFor, queueMigration, refuseWithSnapshots, type VmWithTask } from './vms.ts';
import { placeMigration, type Reserved } from './vm-placement.ts';
import { migrateSchema } from './vm-input.ts';

export { DRAIN_OPERATION };

const maintenanceSchema = z.object({
  maintenance: z.boolean(),
  /** Move the host's VMs to other hosts (only when entering maintenance). */
  drain: z.boolean().default(false),
  /** Stopped VMs: left on the host (their disks stay there), or moved cold. */
  stoppedVms: z.enum(['leave', 'move']).default('leave'),
  migration: migrateSchema.omit({ targetHostId: true }).default({}),
});
export type MaintenanceInput = z.input<typeof maintenanceSchema>;

export interface MaintenanceResult {
  host: HostRow;
  /** The drain's parent task; null without a drain. */
  task: TaskRow | null;
}

const LIVE = new Set(['running', 'paused']);

export async function setHostMaintenance(ctx: ServiceContext, hostId: string, raw: MaintenanceInput): Promise<MaintenanceResult> {
  const input = parseInput(maintenanceSchema, raw);
  const viewer = actorOf(ctx);
  if (input.drain && !input.maintenance) throw new ConflictError('A drain puts the host in maintenance: ask for maintenance with it');
  if (input.drain && !hasPrivilege(viewer, 'VM.Migrate')) throw new PermissionError('Draining a host moves its VMs: it needs VM.Migrate');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const host = await trx.selectFrom('hosts').selectAll().where('id', '=', hostId).forUpdate().executeTakeFirst();
    if (!host) throw new NotFoundError('The host');
    const updated = await trx.updateTable('hosts').set({ maintenance: input.maintenance }).where('id', '=', hostId).returningAll().executeTakeFirstOrThrow();
    if (!input.drain) return { host: updated, task: null, queued: [] as VmWithTask[] };
    const open = await trx.selectFrom('tasks').select('id').where('operation', '=', DRAIN_OPERATION).where('host_id', '=', hostId).where('status', 'in', ['queued', 'running']).executeTakeFirst();
    if (open) throw new ConflictError(`${host.name} is being drained already`);

    const parent = await insertTask(trx, { operation: DRAIN_OPERATION, steps: [], vmId: null, hostId, userId: viewer.userId || null, requestId: ctx.requestInfo.requestId, params: { stoppedVms: input.stoppedVms } });
    const vms = await trx.selectFrom('vms').select(['id', 'name', 'state']).where('host_id', '=', hostId).where('deleted_at', 'is', null).orderBy('name').execute();
    const reserved: Reserved = new Map();
    const queued: VmWithTask[] = [];
    const notes: string[] = [];
    const leftRunning: string[] = [];
    for (const { id, name, state } of vms) {
      if (state === 'stopped' && input.stoppedVms === 'leave') {
        notes.push(`${name} stays (stopped; its disks stay on ${host.name})`);
        continue;
      }
      try {
        const vm = await lockedVmFor(trx, viewer, id, 'vm.migrate');
        await refuseWithSnapshots(trx, vm, 'moved');
        const target = await placeMigration(trx, vm, host, null, ctx.config.hostConcurrency, reserved);
        const taken = reserved.get(target.host.id) ?? { vcpus: 0, memoryMb: 0 };
        reserved.set(target.host.id, { vcpus: taken.vcpus + vm.vcpus, memoryMb: taken.memoryMb + vm.memory_mb });
        queued.push(await queueMigration(trx, ctx, vm, hostId, target.host.id, target.reason, input.migration, parent.id));
      } catch (error) {
        // Refusals are decided before anything is written for that VM: the others go on.
        if (!(error instanceof NamedError)) throw error;
        const line = `${name} stays: ${error.message}`;
        notes.push(line);
        if (LIVE.has(state) || state === 'migrating') leftRunning.push(line);
      }
    }
    const started = new Date();
    await trx.updateTable('tasks').set({ status: 'running', started_at: started }).where('id', '=', parent.id).execute();
    if (notes.length) await trx.insertInto('task_log').values(notes.map((line) => ({ task_id: parent.id, line, warning: leftRunning.includes(line) }))).execute();
    if (!queued.length) {
      await finishTaskIn(trx, parent.id, leftRunning.length ? 'failed' : 'succeeded', leftRunning.length ? `No VM could move: ${leftRunning.join('; ')}` : null);
    } else if (leftRunning.length) {
      // The drain fails once its migrations end: the host still runs these.
      await trx.updateTable('tasks').set({ params: JSON.stringify({ stoppedVms: input.stoppedVms, leftRunning }) }).where('id', '=', parent.id).execute();
    }
    const task = await trx.selectFrom('tasks').selectAll().where('id', '=', parent.id).executeTakeFirstOrThrow();
    return { host: updated, task, queued };
  });
  publishHost(ctx, result.host);
  for (const q of result.queued) announceQueued(ctx, q, true);
  if (result.task) publishTask(ctx.pubsub, result.task);
  return { host: result.host, task: result.task };
}
