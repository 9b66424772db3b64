// Cloning a VM into a new one of yours: the new VM's page then follows its task step by step.
import { createResource, createSignal, For, Show } from 'solid-js';
import { Checkbox, Field, FormDialog, Select } from '../components/Field.tsx';
import { graphql } from '../gql/index.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { useSession } from '../lib/session.ts';

const CloneHostsDocument = graphql(`
  query CloneHosts { hosts { id name status maintenance } }
`);

const CloneVmDocument = graphql(`
  mutation CloneVm($id: ID!, $input: CloneVmInput!) {
    cloneVm(id: $id, input: $input) {
      __typename
      ... on VmTaskPayload { vm { id } task { id } }
      ... on QuotaExceededError { resource }
      ... on NoCapacityError { message }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export function VmCloneDialog(props: { vm: { id: string; name: string; host?: { id: string; name: string } | null }; onClose: () => void; onCloned: (vmId: string) => void }) {
  const session = useSession();
  const mayChooseHost = () => session.can('Host_Manage');
  const [hosts] = createResource(mayChooseHost, async () => (await request(CloneHostsDocument, {}).catch(() => null))?.hosts ?? []);
  const [name, setName] = createSignal(`${props.vm.name} (clone)`.slice(0, 64));
  const [hostId, setHostId] = createSignal('');
  const [full, setFull] = createSignal(false);
  const [start, setStart] = createSignal(true);
  const form = createSubmit(['name', 'hostId']);
  const elsewhere = () => !!hostId() && hostId() !== props.vm.host?.id;
  const onSubmit = () => {
    if (!name().trim()) return form.invalid({ name: 'The clone needs a name' });
    void form.submit(
      async () => (await request(CloneVmDocument, { id: props.vm.id, input: { name: name(), hostId: hostId() || null, full: full() || elsewhere(), start: start() } })).cloneVm,
      (r) => props.onCloned(r.vm.id),
    );
  };
  return (
    <FormDialog title={`Clone ${props.vm.name}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Clone" disabled={form.busy()}>
      <p class="hint">
        The clone is yours and counts against your quota. It gets its own name, MAC, address, hostname, SSH host keys and machine-id. A running VM is copied consistently: its file systems are frozen
        through the guest agent and it pauses only while its own changes are copied.
      </p>
      <Field id="clone-name" label="Name" value={name()} onInput={setName} error={form.errors().name} />
      <Show when={mayChooseHost()}>
        <Select id="clone-host" label="Host" value={hostId()} onChange={setHostId} error={form.errors().hostId}>
          <option value="">Its own host{props.vm.host ? ` (${props.vm.host.name})` : ''}</option>
          <For each={(hosts() ?? []).filter((h) => h.id !== props.vm.host?.id && h.status === 'ONLINE' && !h.maintenance)}>{(h) => <option value={h.id}>{h.name}</option>}</For>
        </Select>
      </Show>
      <Checkbox
        id="clone-full"
        label="Full copy"
        hint={elsewhere() ? 'Always on another host' : 'Independent of the cached image; slower and larger than an overlay'}
        checked={full() || elsewhere()}
        onChange={setFull}
      />
      <Checkbox id="clone-start" label="Start the clone when it is made" checked={start()} onChange={setStart} />
    </FormDialog>
  );
}
