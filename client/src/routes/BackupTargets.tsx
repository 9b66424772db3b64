// Backup targets (BackupTarget.Manage): a storage pool on one host, or a path every host sees.
// The server checks each when it is added (the pool runs and has a directory; the path is usable
// on every online host) and refuses to remove one that still holds backups.
import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import { createQuery } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { guarded } from '../Layout.tsx';
import { Checkbox, Field, FormDialog, Select } from '../components/Field.tsx';
import { Alert, ListTable, PageHeader } from '../components/ui.tsx';

const BackupTargetsDocument = graphql(`
  query BackupTargets { backupTargets { id name shared pool path createdAt host { id name } } }
`);

const TargetHostsDocument = graphql(`
  query BackupTargetHosts { hosts { id name } }
`);

const CreateBackupTargetDocument = graphql(`
  mutation CreateBackupTarget($input: CreateBackupTargetInput!) {
    createBackupTarget(input: $input) {
      __typename
      ... on BackupTarget { id }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DeleteBackupTargetDocument = graphql(`
  mutation DeleteBackupTarget($id: ID!) { deleteBackupTarget(id: $id) { __typename ... on BackupTarget { id } ... on Error { message } } }
`);

export default guarded(['BackupTarget_Manage'], BackupTargetList);

function BackupTargetList() {
  const session = useSession();
  const query = createQuery(BackupTargetsDocument, () => ({}));
  const [adding, setAdding] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const remove = async (id: string) => {
    const r = (await request(DeleteBackupTargetDocument, { id })).deleteBackupTarget;
    setError(r.__typename === 'BackupTarget' ? undefined : 'message' in r ? r.message : undefined);
    void query.refetch();
  };
  return (
    <>
      <PageHeader title="Backup targets">
        <Show when={session.can('BackupTarget_Manage')}>
          <button type="button" onClick={() => setAdding(true)}>
            Add a target
          </button>
        </Show>
      </PageHeader>
      <Alert message={error() ?? query.error()} />
      <ListTable label="Backup targets" loaded={query.data()} what="the backup targets" empty={<>No backup target yet: add a storage pool of a host or a shared path.</>} columns={['Name', 'Where', 'Pool', 'Path', 'Added']} actions each={query.data()?.backupTargets ?? []}>
        {(t) => (
          <tr>
            <td>{t.name}</td>
            <td>{t.shared ? 'Every host (shared path)' : (t.host?.name ?? 'One host')}</td>
            <td>{t.pool}</td>
            <td>{t.path}</td>
            <td>{when(t.createdAt)}</td>
            <td>
              <button type="button" class="danger-outline" onClick={() => void remove(t.id)}>
                Remove
              </button>
            </td>
          </tr>
        )}
      </ListTable>
      <Show when={adding()}>
        <AddTargetDialog
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            void query.refetch();
          }}
        />
      </Show>
    </>
  );
}

function AddTargetDialog(props: { onClose: () => void; onAdded: () => void }) {
  const hosts = createQuery(TargetHostsDocument, () => ({}));
  const [name, setName] = createSignal('');
  const [shared, setShared] = createSignal(false);
  const [hostId, setHostId] = createSignal('');
  const [pool, setPool] = createSignal('');
  const [path, setPath] = createSignal('');
  const form = createSubmit(['name', 'hostId', 'pool', 'path']);
  const onSubmit = () => {
    const input = shared() ? { name: name(), path: path() } : { name: name(), hostId: hostId() || hosts.data()?.hosts[0]?.id, pool: pool() };
    void form.submit(async () => (await request(CreateBackupTargetDocument, { input })).createBackupTarget, () => props.onAdded());
  };
  return (
    <FormDialog title="Add a backup target" onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit={form.busy() ? 'Checking…' : 'Add'} disabled={form.busy()}>
      <Field id="target-name" label="Name" value={name()} onInput={setName} error={form.errors().name} required />
      <Checkbox id="target-shared" label="A shared path every host sees (NFS or similar)" checked={shared()} onChange={setShared} hint="A directory pool is made at the path on each host" />
      <Show
        when={shared()}
        fallback={
          <>
            <Select id="target-host" label="Host" value={hostId() || hosts.data()?.hosts[0]?.id || ''} onChange={setHostId} error={form.errors().hostId}>
              <For each={hosts.data()?.hosts ?? []}>{(h) => <option value={h.id}>{h.name}</option>}</For>
            </Select>
            <Field id="target-pool" label="Storage pool on the host" value={pool()} onInput={setPool} error={form.errors().pool} hint="An existing, running libvirt pool with a directory (dir, fs, netfs)" />
          </>
        }
      >
        <Field id="target-path" label="Path" value={path()} onInput={setPath} error={form.errors().path} placeholder="/srv/backups" />
      </Show>
    </FormDialog>
  );
}
