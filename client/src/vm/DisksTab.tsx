// A VM's disks: the list (size, what its file takes, bus, pool, limits), and attaching, detaching,
// growing and limiting them. Each change is a task whose steps show here as they run; the list is
// read again when it ends.
import { createSignal, For, Show } from 'solid-js';
import { Checkbox, Field, FormDialog, Options, Select } from '../components/Field.tsx';
import { Alert, Table } from '../components/ui.tsx';
import { graphql } from '../gql/index.ts';
import type { DiskBus, DiskIoLimitsInput, VmDisksQuery } from '../gql/graphql.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { createQuery } from '../lib/live.ts';
import { createLiveTasks, isFinished, TaskCard, type Task } from './TaskLive.tsx';

const VmDisksDocument = graphql(`
  query VmDisks($id: ID!) {
    node(id: $id) {
      ... on Vm {
        id
        disks { id boot bootOrder target bus pool volume sizeGb allocationBytes ioLimits { totalBytesSec readBytesSec writeBytesSec totalIopsSec readIopsSec writeIopsSec } }
      }
    }
  }
`);

const AttachDiskDocument = graphql(`
  mutation AttachDisk($vmId: ID!, $input: AttachDiskInput!) {
    attachDisk(vmId: $vmId, input: $input) {
      __typename
      ... on VmDiskTaskPayload { task { ...TaskFields } }
      ... on QuotaExceededError { resource }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DetachDiskDocument = graphql(`
  mutation DetachDisk($vmId: ID!, $diskId: ID!, $deleteVolume: Boolean) {
    detachDisk(vmId: $vmId, diskId: $diskId, deleteVolume: $deleteVolume) {
      __typename
      ... on VmDiskTaskPayload { task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const ResizeDiskDocument = graphql(`
  mutation ResizeDisk($vmId: ID!, $diskId: ID!, $sizeGiB: Int!) {
    resizeDisk(vmId: $vmId, diskId: $diskId, sizeGiB: $sizeGiB) {
      __typename
      ... on VmDiskTaskPayload { task { ...TaskFields } }
      ... on QuotaExceededError { resource }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const SetDiskIoLimitsDocument = graphql(`
  mutation SetDiskIoLimits($vmId: ID!, $diskId: ID!, $limits: DiskIoLimitsInput!) {
    setDiskIoLimits(vmId: $vmId, diskId: $diskId, limits: $limits) {
      __typename
      ... on VmDiskTaskPayload { task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

type Disk = NonNullable<Extract<NonNullable<VmDisksQuery['node']>, { disks: unknown }>['disks']>[number];
type Limits = Disk['ioLimits'];

const MiB = 1024 * 1024;
const bytes = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : `${Math.round(n / MiB)} MiB`);

/** "read 4 MiB/s · 100 IOPS", or "none". */
function limitsText(l: Limits): string {
  const parts = [
    l.totalBytesSec && `${bytes(l.totalBytesSec)}/s`,
    l.readBytesSec && `read ${bytes(l.readBytesSec)}/s`,
    l.writeBytesSec && `write ${bytes(l.writeBytesSec)}/s`,
    l.totalIopsSec && `${l.totalIopsSec} IOPS`,
    l.readIopsSec && `read ${l.readIopsSec} IOPS`,
    l.writeIopsSec && `write ${l.writeIopsSec} IOPS`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'none';
}

type Dialog = { kind: 'attach' } | { kind: 'detach'; disk: Disk } | { kind: 'resize'; disk: Disk } | { kind: 'limits'; disk: Disk };

export default function DisksTab(props: { vm: { id: string; name: string; actions: readonly { action: string; allowed: boolean; reason?: string | null }[] }; mayAct: boolean; onStarted: (task: Task) => void }) {
  const query = createQuery(VmDisksDocument, () => ({ id: props.vm.id }));
  const disks = () => {
    const node = query.data()?.node;
    return node && 'disks' in node ? (node.disks ?? []) : [];
  };
  const [dialog, setDialog] = createSignal<Dialog>();
  // The disk tasks started here, followed live; the list is read again when one ends.
  const tasks = createLiveTasks(() => [], { limit: 3 });
  const started = (task: Task) => {
    setDialog(undefined);
    tasks.put(task);
    props.onStarted(task);
  };
  const allowed = (action: string) => props.vm.actions.find((a) => a.action === action);

  return (
    <div class="card" data-testid="vm-disks">
      <h2>Disks</h2>
      <Alert message={query.error()} />
      <Table label="Disks" columns={['Device', 'Size', 'Used on host', 'Bus', 'Pool', 'I/O limits', '']} actions each={disks()}>
        {(d) => (
          <tr>
            <td class="mono">
              {d.target}
              <Show when={d.boot}>
                <span class="muted"> (boot{d.bootOrder ? ` #${d.bootOrder}` : ''})</span>
              </Show>
            </td>
            <td>{d.sizeGb} GiB</td>
            <td>{bytes(d.allocationBytes)}</td>
            <td>{d.bus}</td>
            <td class="mono">{d.pool}</td>
            <td>{limitsText(d.ioLimits)}</td>
            <td class="actions">
              <Show when={props.mayAct}>
                <button type="button" class="secondary" disabled={!allowed('RESIZE_DISK')?.allowed} title={allowed('RESIZE_DISK')?.reason ?? undefined} onClick={() => setDialog({ kind: 'resize', disk: d })}>
                  Grow
                </button>
                <button type="button" class="secondary" disabled={!allowed('SET_DISK_LIMITS')?.allowed} title={allowed('SET_DISK_LIMITS')?.reason ?? undefined} onClick={() => setDialog({ kind: 'limits', disk: d })}>
                  Limits
                </button>
                <Show when={!d.boot}>
                  <button type="button" class="danger-outline" disabled={!allowed('DETACH_DISK')?.allowed} title={allowed('DETACH_DISK')?.reason ?? undefined} onClick={() => setDialog({ kind: 'detach', disk: d })}>
                    Detach
                  </button>
                </Show>
              </Show>
            </td>
          </tr>
        )}
      </Table>
      <Show when={props.mayAct}>
        <p>
          <button type="button" disabled={!allowed('ATTACH_DISK')?.allowed} title={allowed('ATTACH_DISK')?.reason ?? undefined} onClick={() => setDialog({ kind: 'attach' })}>
            Attach a disk
          </button>
        </p>
      </Show>
      <For each={tasks.items}>{(task) => <TaskCard task={task} open onChange={(t) => (tasks.put(t), isFinished(t) && void query.refetch())} />}</For>

      <Show when={dialog()}>
        {(open) => {
          const close = () => setDialog(undefined);
          const d = open();
          if (d.kind === 'attach') return <AttachDialog vmId={props.vm.id} vmName={props.vm.name} onClose={close} onStarted={started} />;
          if (d.kind === 'detach') return <DetachDialog vmId={props.vm.id} disk={d.disk} onClose={close} onStarted={started} />;
          if (d.kind === 'resize') return <ResizeDialog vmId={props.vm.id} disk={d.disk} onClose={close} onStarted={started} />;
          return <LimitsDialog vmId={props.vm.id} disk={d.disk} onClose={close} onStarted={started} />;
        }}
      </Show>
    </div>
  );
}

interface DiskDialogProps {
  vmId: string;
  onClose: () => void;
  onStarted: (task: Task) => void;
}

/** The six limits as fields: MiB/s for bytes, plain numbers for IOPS; empty is no limit. */
function LimitFields(props: { prefix: string; value: Record<string, string>; set: (key: string, value: string) => void; errors: Record<string, string | undefined> }) {
  const fields: [string, string][] = [
    ['totalBytesSec', 'Total MiB/s'],
    ['readBytesSec', 'Read MiB/s'],
    ['writeBytesSec', 'Write MiB/s'],
    ['totalIopsSec', 'Total IOPS'],
    ['readIopsSec', 'Read IOPS'],
    ['writeIopsSec', 'Write IOPS'],
  ];
  return (
    <div class="grid2">
      <For each={fields}>
        {([key, label]) => <Field id={`${props.prefix}-${key}`} label={label} type="number" min={0} value={props.value[key] ?? ''} onInput={(v) => props.set(key, v)} error={props.errors[key]} />}
      </For>
    </div>
  );
}

function limitsInput(value: Record<string, string>): DiskIoLimitsInput {
  const n = (key: string, scale: number) => (value[key] ? Math.round(Number(value[key]) * scale) : null);
  return {
    totalBytesSec: n('totalBytesSec', MiB),
    readBytesSec: n('readBytesSec', MiB),
    writeBytesSec: n('writeBytesSec', MiB),
    totalIopsSec: n('totalIopsSec', 1),
    readIopsSec: n('readIopsSec', 1),
    writeIopsSec: n('writeIopsSec', 1),
  };
}

function createLimitsState(initial: Limits | null) {
  const start: Record<string, string> = {};
  if (initial) {
    for (const [key, v] of Object.entries(initial)) if (typeof v === 'number' && v > 0) start[key] = String(key.endsWith('BytesSec') ? v / MiB : v);
  }
  const [value, setValue] = createSignal(start);
  return { value, set: (key: string, v: string) => setValue({ ...value(), [key]: v }) };
}

function AttachDialog(props: DiskDialogProps & { vmName: string }) {
  const [size, setSize] = createSignal('1');
  const [bus, setBus] = createSignal<DiskBus>('VIRTIO' as DiskBus);
  const [pool, setPool] = createSignal('');
  const limits = createLimitsState(null);
  const form = createSubmit(['sizeGiB', 'pool', 'ioLimits']);
  const onSubmit = () =>
    void form.submit(
      async () => (await request(AttachDiskDocument, { vmId: props.vmId, input: { sizeGiB: Number(size()), bus: bus(), pool: pool() || null, ioLimits: limitsInput(limits.value()) } })).attachDisk,
      (r) => props.onStarted(r.task),
    );
  return (
    <FormDialog title={`Attach a disk to ${props.vmName}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Attach" disabled={form.busy()}>
      <p class="hint">A new blank disk. A running VM gets VIRTIO and SCSI disks at once; a SATA disk appears at its next start.</p>
      <Field id="disk-size" label="Size (GiB)" type="number" min={1} value={size()} onInput={setSize} error={form.errors().sizeGiB} />
      <Select id="disk-bus" label="Bus" value={bus()} onChange={(v) => setBus(v as DiskBus)}>
        <Options choices={[['VIRTIO', 'VirtIO (vdX)'], ['SCSI', 'SCSI (sdX)'], ['SATA', 'SATA (sdX, not hot-plugged)']]} />
      </Select>
      <Field id="disk-pool" label="Storage pool" hint="Empty: the host's disk pool (other pools: administrators of hosts)" value={pool()} onInput={setPool} error={form.errors().pool} />
      <LimitFields prefix="attach" value={limits.value()} set={limits.set} errors={{}} />
    </FormDialog>
  );
}

function DetachDialog(props: DiskDialogProps & { disk: Disk }) {
  const [deleteVolume, setDeleteVolume] = createSignal(false);
  const form = createSubmit();
  const onSubmit = () => void form.submit(async () => (await request(DetachDiskDocument, { vmId: props.vmId, diskId: props.disk.id, deleteVolume: deleteVolume() })).detachDisk, (r) => props.onStarted(r.task));
  return (
    <FormDialog title={`Detach ${props.disk.target}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Detach" disabled={form.busy()}>
      <p class="hint">A running guest is asked to let go of the disk; unmount it inside first. If it does not within a minute, the disk stays attached.</p>
      <Checkbox id="disk-delete" label={`Delete its volume ${props.disk.volume}`} checked={deleteVolume()} onChange={setDeleteVolume} hint="Otherwise it is kept in its pool until the VM is deleted" />
    </FormDialog>
  );
}

function ResizeDialog(props: DiskDialogProps & { disk: Disk }) {
  const [size, setSize] = createSignal(String(props.disk.sizeGb + 1));
  const form = createSubmit(['sizeGiB']);
  const onSubmit = () => void form.submit(async () => (await request(ResizeDiskDocument, { vmId: props.vmId, diskId: props.disk.id, sizeGiB: Number(size()) })).resizeDisk, (r) => props.onStarted(r.task));
  return (
    <FormDialog title={`Grow ${props.disk.target}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Grow" disabled={form.busy()}>
      <p class="hint">A disk only grows. A running guest sees the new size at once; its partitions and filesystems are grown inside the guest.</p>
      <Field id="disk-new-size" label="New size (GiB)" type="number" min={props.disk.sizeGb + 1} value={size()} onInput={setSize} error={form.errors().sizeGiB} />
    </FormDialog>
  );
}

function LimitsDialog(props: DiskDialogProps & { disk: Disk }) {
  const limits = createLimitsState(props.disk.ioLimits);
  const form = createSubmit(['totalBytesSec', 'readBytesSec', 'writeBytesSec', 'totalIopsSec', 'readIopsSec', 'writeIopsSec']);
  const onSubmit = () =>
    void form.submit(async () => (await request(SetDiskIoLimitsDocument, { vmId: props.vmId, diskId: props.disk.id, limits: limitsInput(limits.value()) })).setDiskIoLimits, (r) => props.onStarted(r.task));
  return (
    <FormDialog title={`I/O limits of ${props.disk.target}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Set limits" disabled={form.busy()}>
      <p class="hint">Empty: no limit. Give a total, or read and write, not both. A running VM is held to them at once.</p>
      <LimitFields prefix="limits" value={limits.value()} set={limits.set} errors={form.errors()} />
    </FormDialog>
  );
}
