// A VM's backups: the list with each one's chain (full, or incremental on its parent), what it
// stores and read, a back-up-now button with the target to use, and the restore dialog (onto this
// VM, or as a new VM). Each action's task is shown live as it runs.
import { createSignal, For, Show } from 'solid-js';
import { Checkbox, Field, FormDialog, Select } from '../components/Field.tsx';
import { Alert, Badge, ListTable, Notice } from '../components/ui.tsx';
import { graphql } from '../gql/index.ts';
import type { BackupFieldsFragment } from '../gql/graphql.ts';
import { bytes, when } from '../lib/format.ts';
import { createSubmit } from '../lib/form.ts';
import { request } from '../lib/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { useSession } from '../lib/session.ts';
import { isFinished, TaskCard, type Task } from './TaskLive.tsx';
import { BackupSchedules } from './BackupSchedules.tsx';

const BackupFields = graphql(`
  fragment BackupFields on Backup {
    id kind status reason error chainLength sizeBytes readBytes createdAt finishedAt vmName
    parent { id createdAt }
    target { id name }
    disks { target virtualSizeBytes }
  }
`);

const VmBackupsDocument = graphql(`
  query VmBackups($id: ID!) {
    node(id: $id) { ... on Vm { id backups { ...BackupFields } } }
    backupTargets { id name shared }
  }
`);

const BackupVmDocument = graphql(`
  mutation BackupVm($vmId: ID!, $targetId: ID!) {
    backupVm(vmId: $vmId, targetId: $targetId) {
      __typename
      ... on BackupTaskPayload { backup { ...BackupFields } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const RestoreBackupDocument = graphql(`
  mutation RestoreBackup($id: ID!, $input: RestoreBackupInput!) {
    restoreBackup(id: $id, input: $input) {
      __typename
      ... on RestoreBackupPayload { vm { id name } task { ...TaskFields } }
      ... on QuotaExceededError { resource }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DeleteBackupDocument = graphql(`
  mutation DeleteBackup($id: ID!, $withDependents: Boolean) {
    deleteBackup(id: $id, withDependents: $withDependents) {
      __typename
      ... on DeleteBackupPayload { deletedIds }
      ... on Error { message }
    }
  }
`);

type Backup = BackupFieldsFragment;

/** "Incremental on 3 Dec 17:20" or "Full (why)". */
function chainText(b: Backup): string {
  if (b.kind === 'INCREMENTAL') return `Incremental (chain of ${b.chainLength}) on ${b.parent ? when(b.parent.createdAt) : 'a deleted backup'}`;
  return 'Full';
}

export default function BackupsTab(props: { vm: { id: string; name: string; state: string }; mayAct: boolean }) {
  const session = useSession();
  const query = createQuery(VmBackupsDocument, () => ({ id: props.vm.id }));
  const backups = () => {
    const node = query.data()?.node;
    return node && 'backups' in node ? node.backups : [];
  };
  const targets = () => query.data()?.backupTargets ?? [];
  const [target, setTarget] = createSignal('');
  const [tasks, setTasks] = createSignal<Task[]>([]);
  const [restoring, setRestoring] = createSignal<Backup>();
  const [message, setMessage] = createSignal<string>();
  const backupForm = createSubmit(['targetId']);
  const mayBackUp = () => props.mayAct && session.can('VM_Backup');
  const mayRestore = () => props.mayAct && session.can('Backup_Restore');

  const started = (task: Task) => setTasks((all) => [task, ...all]);
  // A finished task changes the list (a new backup is READY, or FAILED): read it again.
  const onTask = (task: Task) => isFinished(task) && void query.refetch();

  const backUp = () => {
    const chosen = target() || targets()[0]?.id;
    if (!chosen) return backupForm.invalid({ targetId: 'Choose a backup target' });
    void backupForm.submit(
      async () => (await request(BackupVmDocument, { vmId: props.vm.id, targetId: chosen })).backupVm,
      (r) => {
        started(r.task);
        void query.refetch();
      },
    );
  };

  const remove = async (b: Backup) => {
    const dependents = backups().some((o) => o.parent?.id === b.id);
    if (dependents && !confirm('Later incremental backups are built on this one: delete them too?')) return;
    const r = (await request(DeleteBackupDocument, { id: b.id, withDependents: dependents })).deleteBackup;
    setMessage(r.__typename === 'DeleteBackupPayload' ? `Deleted ${r.deletedIds.length} backup(s)` : 'message' in r ? r.message : undefined);
    void query.refetch();
  };

  return (
    <section aria-label="Backups">
      <Show when={mayBackUp()}>
        <div class="actionbar">
          <Select id="backup-target" label="Back up to" value={target() || targets()[0]?.id || ''} onChange={setTarget} error={backupForm.errors().targetId}>
            <For each={targets()} fallback={<option value="">No backup target: an administrator adds one</option>}>
              {(t) => <option value={t.id}>{t.name}</option>}
            </For>
          </Select>
          <button type="button" onClick={backUp} disabled={backupForm.busy() || !targets().length}>
            {backupForm.busy() ? 'Backing up…' : 'Back up now'}
          </button>
        </div>
        <Alert message={backupForm.error()} />
      </Show>
      <Notice message={message()} />
      <For each={tasks()}>{(t) => <TaskCard task={t} open onChange={onTask} />}</For>
      <ListTable label="Backups" loaded={query.data()} what="the backups" empty={<>No backups of this VM yet.</>} columns={['Taken', 'Chain', 'Status', 'Stored', 'Read', 'Target']} actions each={backups()}>
        {(b) => (
          <tr>
            <td>{when(b.createdAt)}</td>
            <td>
              {chainText(b)}
              <Show when={b.reason}>
                <div class="hint">{b.reason}</div>
              </Show>
            </td>
            <td>
              <Badge state={b.status} />
              <Show when={b.error}>
                <div class="hint">{b.error}</div>
              </Show>
            </td>
            <td>{bytes(b.sizeBytes)}</td>
            <td>{bytes(b.readBytes)}</td>
            <td>{b.target.name}</td>
            <td>
              <Show when={b.status === 'READY' && mayRestore()}>
                <button type="button" class="secondary" onClick={() => setRestoring(b)}>
                  Restore…
                </button>
              </Show>
              <Show when={mayBackUp() && (b.status === 'READY' || b.status === 'FAILED')}>
                <button type="button" class="danger-outline" onClick={() => void remove(b)}>
                  Delete
                </button>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
      <BackupSchedules vm={props.vm} mayAct={mayBackUp()} />
      <Show when={restoring()}>
        {(b) => (
          <RestoreDialog
            backup={b()}
            vm={props.vm}
            onClose={() => setRestoring(undefined)}
            onStarted={(task) => {
              setRestoring(undefined);
              started(task);
            }}
          />
        )}
      </Show>
    </section>
  );
}

function RestoreDialog(props: { backup: Backup; vm: { id: string; name: string; state: string }; onClose: () => void; onStarted: (task: Task) => void }) {
  const [asNew, setAsNew] = createSignal(false);
  const [name, setName] = createSignal(`${props.vm.name}-restored`);
  const form = createSubmit(['name']);
  const onSubmit = () => {
    if (asNew() && !name().trim()) return form.invalid({ name: 'The new VM needs a name' });
    void form.submit(
      async () => (await request(RestoreBackupDocument, { id: props.backup.id, input: asNew() ? { asNewVm: { name: name().trim() } } : { toVm: true } })).restoreBackup,
      (r) => props.onStarted(r.task),
    );
  };
  return (
    <FormDialog title={`Restore the backup of ${when(props.backup.createdAt)}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit={asNew() ? 'Restore as a new VM' : `Restore onto ${props.vm.name}`} disabled={form.busy()}>
      <Checkbox id="restore-as-new" label="Restore as a new VM" checked={asNew()} onChange={setAsNew} hint="A new VM of yours, counted against your quota; this VM is not touched" />
      <Show
        when={asNew()}
        fallback={
          <p class="hint">
            {props.vm.name} is powered off{props.vm.state === 'RUNNING' ? ' (and started again after)' : ''}; its disks are replaced once the restored copy is verified. A restore that fails leaves its disks as they are.
          </p>
        }
      >
        <Field id="restore-name" label="Name of the new VM" value={name()} onInput={setName} error={form.errors().name} />
      </Show>
    </FormDialog>
  );
}
