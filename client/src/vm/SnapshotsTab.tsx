// The VM page's Snapshots tab: the snapshot tree (parent links), taking one, reverting to one and
// deleting one, each action's task followed live below the tree; the tree is read again as each ends.
import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import { Checkbox, Field, FormDialog, TextArea } from '../components/Field.tsx';
import { Dialog, DialogActions, Empty, Loading } from '../components/ui.tsx';
import { graphql } from '../gql/index.ts';
import type { VmActionName, VmSnapshotFieldsFragment } from '../gql/graphql.ts';
import { bytes, when } from '../lib/format.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { createQuery } from '../lib/live.ts';
import { actionOf } from './power.ts';
import { isFinished, TaskCard, type Task } from './TaskLive.tsx';

graphql(`
  fragment VmSnapshotFields on VmSnapshot {
    id
    name
    description
    status
    isCurrent
    includesMemory
    quiesced
    sizeBytes
    createdAt
    createdBy { id name }
    parent { id }
  }
`);

const VmSnapshotsDocument = graphql(`
  query VmSnapshots($id: ID!) { node(id: $id) { ... on Vm { id snapshots { ...VmSnapshotFields } } } }
`);

const CreateSnapshotDocument = graphql(`
  mutation CreateSnapshot($vmId: ID!, $input: CreateSnapshotInput!) {
    createSnapshot(vmId: $vmId, input: $input) {
      __typename
      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const RevertToSnapshotDocument = graphql(`
  mutation RevertToSnapshot($id: ID!) {
    revertToSnapshot(id: $id) {
      __typename
      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DeleteSnapshotDocument = graphql(`
  mutation DeleteSnapshot($id: ID!) {
    deleteSnapshot(id: $id) {
      __typename
      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

type Snapshot = VmSnapshotFieldsFragment;

export interface SnapshotsTabProps {
  vm: { id: string; name: string; state: string; actions: ReadonlyArray<{ action: VmActionName; allowed: boolean; reason?: string | null }> };
  /** Whether the viewer may act on the VM at all (its owner, or VM.ManageAll) and holds VM.Snapshot. */
  mayAct: boolean;
  /** A task started here, for the page's own list of the VM's tasks. */
  onStarted: (task: Task) => void;
}

export default function SnapshotsTab(props: SnapshotsTabProps) {
  const query = createQuery(VmSnapshotsDocument, () => ({ id: props.vm.id }));
  const snapshots = createMemo<Snapshot[]>(() => {
    const node = query.data()?.node;
    return node && 'snapshots' in node ? (node.snapshots as Snapshot[]) : [];
  });
  // The tree: children by parent id (a parent that is not listed makes a root).
  const children = createMemo(() => {
    const ids = new Set(snapshots().map((s) => s.id));
    const byParent = new Map<string | null, Snapshot[]>();
    for (const s of snapshots()) {
      const parent = s.parent && ids.has(s.parent.id) ? s.parent.id : null;
      byParent.set(parent, [...(byParent.get(parent) ?? []), s]);
    }
    return byParent;
  });
  const [tasks, setTasks] = createSignal<Task[]>([]);
  const [dialog, setDialog] = createSignal<{ kind: 'create' } | { kind: 'revert' | 'delete'; snapshot: Snapshot }>();
  const action = createSubmit();

  // A running VM's snapshot holds its memory; a stopped VM's its disk alone (the server says why not otherwise).
  const running = () => props.vm.state === 'RUNNING' || props.vm.state === 'PAUSED';
  const createStatus = () => actionOf(props.vm, 'SNAPSHOT_CREATE');

  const started = (task: Task) => {
    setDialog(undefined);
    setTasks((list) => [task, ...list.filter((t) => t.id !== task.id)]);
    props.onStarted(task);
    void query.refetch();
  };
  // The tree is read again whenever one of the tasks started here ends.
  const onTaskChange = (task: Task) => {
    if (isFinished(task)) void query.refetch();
  };

  const act = (kind: 'revert' | 'delete', snapshot: Snapshot) =>
    void action.submit(
      async () => (kind === 'revert' ? (await request(RevertToSnapshotDocument, { id: snapshot.id })).revertToSnapshot : (await request(DeleteSnapshotDocument, { id: snapshot.id })).deleteSnapshot),
      (r) => started(r.task),
      { prefix: snapshot.name },
    );

  const Node = (p: { snapshot: Snapshot }) => {
    const s = () => p.snapshot;
    const revertStatus = () => actionOf(props.vm, 'SNAPSHOT_REVERT');
    const deleteStatus = () => actionOf(props.vm, 'SNAPSHOT_DELETE');
    const ready = () => s().status === 'READY';
    return (
      <li data-testid="snapshot" data-name={s().name}>
        <div class="snapshot-row">
          <strong>{s().name}</strong>
          <Show when={s().isCurrent}>
            <span class="tag" title="The VM runs on from this snapshot">current</span>
          </Show>
          <Show when={s().status !== 'READY'}>
            <span class="muted"> {s().status === 'CREATING' ? 'being taken…' : 'being deleted…'}</span>
          </Show>
          <span class="muted">
            {' '}
            · {when(s().createdAt)}
            {s().createdBy ? ` by ${s().createdBy!.name}` : ''} · {s().includesMemory ? 'disk and memory' : 'disk only'}
            {s().quiesced ? ' · file systems frozen' : ''}
            {s().sizeBytes !== null && s().sizeBytes !== undefined ? ` · ${bytes(s().sizeBytes)}` : ''}
          </span>
          <Show when={props.mayAct}>
            <span class="row-actions">
              <button type="button" class="secondary" disabled={!ready() || !revertStatus().allowed || action.busy()} title={revertStatus().reason ?? undefined} onClick={() => setDialog({ kind: 'revert', snapshot: s() })}>
                Revert
              </button>
              <button type="button" class="danger-outline" disabled={!ready() || !deleteStatus().allowed || action.busy()} title={deleteStatus().reason ?? undefined} onClick={() => setDialog({ kind: 'delete', snapshot: s() })}>
                Delete
              </button>
            </span>
          </Show>
        </div>
        <Show when={s().description}>
          <p class="muted">{s().description}</p>
        </Show>
        <Show when={children().get(s().id)?.length}>
          <ul class="snapshot-tree">
            <For each={children().get(s().id)}>{(child) => <Node snapshot={child} />}</For>
          </ul>
        </Show>
      </li>
    );
  };

  // The VM's state changes the tab's hint and what create may do: read the list again then too.
  createEffect(on(() => props.vm.state, () => void query.refetch(), { defer: true }));

  return (
    <div class="card" data-testid="snapshots">
      <h2>Snapshots</h2>
      <p class="hint">Saved inside the VM’s disk. {running() ? 'The VM runs: a snapshot saves its memory too, and reverting resumes the guest where it was.' : 'The VM is stopped: a snapshot saves its disk.'}</p>
      <Show when={props.mayAct}>
        <div class="actionbar">
          <button type="button" disabled={!createStatus().allowed} title={createStatus().reason ?? undefined} onClick={() => setDialog({ kind: 'create' })}>
            Take a snapshot
          </button>
        </div>
      </Show>
      <Show when={action.error()}>
        <p class="form-error" role="alert">
          {action.error()}
        </p>
      </Show>
      <Show when={query.data() || query.error()} fallback={<Loading what="the snapshots" />}>
        <Show when={snapshots().length} fallback={<Empty>No snapshots yet.</Empty>}>
          <ul class="snapshot-tree" aria-label="Snapshot tree">
            <For each={children().get(null)}>{(root) => <Node snapshot={root} />}</For>
          </ul>
        </Show>
      </Show>
      <Show when={tasks().length}>
        <h3>Snapshot tasks</h3>
        <For each={tasks()}>{(t) => <TaskCard task={t} open onChange={onTaskChange} />}</For>
      </Show>

      <Show when={dialog()?.kind === 'create'}>
        <CreateSnapshotDialog vmId={props.vm.id} vmName={props.vm.name} running={running()} onClose={() => setDialog(undefined)} onStarted={started} />
      </Show>
      <Show when={(() => { const d = dialog(); return d && d.kind !== 'create' ? d : undefined; })()}>
        {(d) => (
          <Dialog title={d().kind === 'revert' ? `Revert ${props.vm.name} to ${d().snapshot.name}?` : `Delete the snapshot ${d().snapshot.name}?`} onClose={() => setDialog(undefined)}>
            <p>
              {d().kind === 'revert'
                ? `Everything the VM changed since ${when(d().snapshot.createdAt)} is lost${d().snapshot.includesMemory ? ': it resumes where it was then' : ': it is stopped at that disk state'}.`
                : 'Its children, if any, then hang from its parent. The VM keeps running.'}
            </p>
            <DialogActions onCancel={() => setDialog(undefined)}>
              <button type="button" class="danger" disabled={action.busy()} onClick={() => act(d().kind, d().snapshot)}>
                {d().kind === 'revert' ? 'Revert' : 'Delete snapshot'}
              </button>
            </DialogActions>
          </Dialog>
        )}
      </Show>
    </div>
  );
}

function CreateSnapshotDialog(props: { vmId: string; vmName: string; running: boolean; onClose: () => void; onStarted: (task: Task) => void }) {
  const [name, setName] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [includeMemory, setIncludeMemory] = createSignal(props.running);
  const form = createSubmit(['name', 'description', 'includeMemory']);
  const onSubmit = () => {
    if (!name().trim()) return form.invalid({ name: 'Give the snapshot a name' });
    void form.submit(async () => (await request(CreateSnapshotDocument, { vmId: props.vmId, input: { name: name().trim(), description: description(), includeMemory: includeMemory() } })).createSnapshot, (r) => props.onStarted(r.task));
  };
  return (
    <FormDialog title={`Snapshot of ${props.vmName}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Take the snapshot" disabled={form.busy()}>
      <Field id="snapshot-name" label="Name" value={name()} onInput={setName} error={form.errors().name} />
      <TextArea id="snapshot-description" label="Description" value={description()} onInput={setDescription} error={form.errors().description} rows={2} />
      <Checkbox
        id="snapshot-memory"
        label="Include the memory"
        checked={includeMemory()}
        onChange={setIncludeMemory}
        hint={props.running ? 'A running VM’s snapshot always holds its memory (libvirt saves it with an internal snapshot).' : 'A stopped VM has no memory to save.'}
      />
      <Show when={form.errors().includeMemory}>
        <p class="field-error">{form.errors().includeMemory}</p>
      </Show>
    </FormDialog>
  );
}
