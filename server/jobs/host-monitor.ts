import type { Db } from '../../db/connection.ts';
import type { HostRow, VmRow } from '../../db/types.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { HostUnreachableError, HypervisorError } from '../hypervisor/errors.ts';
import type { DomainState } from '../hypervisor/domains.ts';
import { hypervisorFor, type LibvirtHypervisor } from '../hypervisor/libvirt-hypervisor.ts';
import type { HostCapabilities } from '../hypervisor/probe.ts';
import { markHost, settingsOf } from '../services/hosts.ts';
import { vmsWithOpenTasks } from '../services/tasks.ts';
import { publishVm, setVmState } from '../services/vms.ts';
import { vmStateOf } from './vm-state.ts';

// States owned by a running task: the task sets them when it ends.
const TASK_OWNED = new Set(['creating', 'migrating', 'deleting', 'deleted']);
// Shown from the moment a power action is queued: the host is not asked while its task is open
// (a queued shutdown's VM still runs), only when one is left with no task (a cancelled action).
const TRANSITIONAL = new Set(['starting', 'stopping', 'rebooting']);
const REWATCH_MS = 2000;
const CAPABILITIES_EVERY = 30;

/**
 * Keeps the database true to one host: libvirt lifecycle events update a VM within moments
 * (a guest that powers itself off), and a periodic reconcile catches anything missed. A host
 * that stops answering goes offline and its VMs show an unknown state, not a stale one.
 */
export class HostMonitor {
  private readonly virsh: LibvirtHypervisor;
  private watcher: { stop(): void } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ticks = 0;
  private reconciling: Promise<void> | null = null;
  private readonly host: HostRow;
  private readonly deps: { db: Db; pubsub: PubSub; log: Logger; intervalMs: number };

  constructor(host: HostRow, deps: { db: Db; pubsub: PubSub; log: Logger; intervalMs: number }) {
    this.host = host;
    this.deps = deps;
    this.virsh = hypervisorFor(host, { timeoutMs: 10_000 });
  }

  start(): void {
    this.watch();
    this.timer = setInterval(() => void this.reconcile(), this.deps.intervalMs);
    void this.reconcile();
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
    if (this.timer) clearInterval(this.timer);
  }

  private watch(): void {
    if (this.stopped) return;
    this.watcher = this.virsh.watchLifecycle(
      (event) => void this.refreshVm(event.vmId).catch((err) => this.deps.log.warn({ err: err.message, vmId: event.vmId }, 'could not read a VM after an event')),
      () => {
        // libvirtd went away or restarted: the reconcile notices; try to listen again shortly.
        if (!this.stopped) setTimeout(() => this.watch(), REWATCH_MS).unref();
      },
    );
  }

  /** Reads one VM's domain now (after a lifecycle event). */
  async refreshVm(vmId: string): Promise<void> {
    const vm = await this.deps.db.selectFrom('vms').selectAll().where('id', '=', vmId).where('host_id', '=', this.host.id).executeTakeFirst();
    if (!vm) return;
    const busy = TRANSITIONAL.has(vm.state) ? await vmsWithOpenTasks(this.deps.db, [vm.id]) : new Set<string>();
    await this.apply(vm, await this.virsh.domainState(vmId), busy);
  }

  /** One pass over the host: every VM's state, the host's status (and now and then its capabilities). */
  reconcile(): Promise<void> {
    // A slow host must not pile passes up.
    this.reconciling ??= this.reconcileOnce().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const { db, log } = this.deps;
    try {
      // VMs first, then libvirt: a VM created in between is not taken for one whose domain vanished.
      const vms = await db.selectFrom('vms').selectAll().where('host_id', '=', this.host.id).where('deleted_at', 'is', null).execute();
      const states = await this.virsh.listStates();
      const capabilities = this.ticks++ % CAPABILITIES_EVERY === 0 ? await this.virsh.capabilities() : undefined;
      await this.setHost('online', null, capabilities);
      await this.clearLeftovers(states);
      const busy = await vmsWithOpenTasks(db, vms.filter((vm) => TRANSITIONAL.has(vm.state)).map((vm) => vm.id));
      for (const vm of vms) {
        if (TASK_OWNED.has(vm.state)) continue;
        // Missing from the listing: ask about that one domain before calling it gone.
        await this.apply(vm, states.has(vm.id) ? states.get(vm.id)! : await this.virsh.domainState(vm.id), busy);
      }
    } catch (error) {
      if (!(error instanceof HypervisorError)) {
        log.error({ err: error, host: this.host.name }, 'reconcile failed');
        return;
      }
      const message = error instanceof HostUnreachableError ? error.message : `libvirt failed: ${error.message}`;
      await this.setHost('offline', message);
      const vms = await db.selectFrom('vms').selectAll().where('host_id', '=', this.host.id).where('deleted_at', 'is', null).execute();
      for (const vm of vms) {
        if (TASK_OWNED.has(vm.state)) continue;
        const changed = await setVmState(db, vm.id, 'unknown', `The host ${this.host.name} does not answer`, vm.state);
        if (changed) publishVm(this.deps.pubsub, changed);
      }
    }
  }

  /**
   * What a failed migration made here while this host did not answer (host_leftovers): the VM's
   * domain and volumes go, unless the VM lives here now or a task of it is under way.
   */
  private async clearLeftovers(states: ReadonlyMap<string, DomainState>): Promise<void> {
    const { db, log } = this.deps;
    const rows = await db.selectFrom('host_leftovers').selectAll().where('host_id', '=', this.host.id).execute();
    if (!rows.length) return;
    const busy = await vmsWithOpenTasks(db, rows.map((r) => r.vm_id));
    const host = await db.selectFrom('hosts').selectAll().where('id', '=', this.host.id).executeTakeFirst();
    if (!host) return;
    const { diskPool, diskPoolShared } = settingsOf(host, { hostConcurrency: 1 });
    for (const row of rows) {
      if (busy.has(row.vm_id)) continue;
      const vm = await db.selectFrom('vms').select('host_id').where('id', '=', row.vm_id).executeTakeFirst();
      if (vm?.host_id !== this.host.id) {
        if (states.has(row.vm_id) || (await this.virsh.domainState(row.vm_id)) !== null) {
          await this.virsh.destroy(row.vm_id);
          await this.virsh.undefine(row.vm_id);
        }
        // On storage other hosts share, the volumes are the VM's own wherever it runs.
        if (!diskPoolShared) for (const name of (await this.virsh.listVolumes(diskPool)).filter((n) => n.startsWith(row.vm_id))) await this.virsh.deleteVolume(diskPool, name);
        log.info({ host: this.host.name, vmId: row.vm_id, reason: row.reason }, 'removed what a failed migration left on the host');
      }
      await db.deleteFrom('host_leftovers').where('host_id', '=', row.host_id).where('vm_id', '=', row.vm_id).execute();
    }
  }

  private async apply(vm: VmRow, domain: DomainState | null, busy: ReadonlySet<string>): Promise<void> {
    if (TASK_OWNED.has(vm.state)) return;
    if (TRANSITIONAL.has(vm.state) && busy.has(vm.id)) return;
    // A VM whose creation failed has no domain, and its error says why: keep that message.
    if (domain === null && vm.state === 'error') return;
    const { state, message } = vmStateOf(domain);
    // Same state: keep the message a task left (e.g. why the guest agent did not answer).
    if (state === vm.state) return;
    // Only over the state we read: a task that changed the VM meanwhile (a delete, say) wins.
    const changed = await setVmState(this.deps.db, vm.id, state, message, vm.state);
    if (changed) publishVm(this.deps.pubsub, changed);
  }

  private async setHost(status: 'online' | 'offline', message: string | null, capabilities?: HostCapabilities): Promise<void> {
    const before = await this.deps.db.selectFrom('hosts').select(['status', 'status_message']).where('id', '=', this.host.id).executeTakeFirst();
    if (!before) return;
    await markHost(this.deps.db, this.host.id, { status, message, capabilities });
    if (before.status !== status || before.status_message !== message) {
      this.deps.log.info({ host: this.host.name, status, message }, 'host status changed');
      this.deps.pubsub.publish('host:updated', { id: this.host.id });
    }
  }
}
