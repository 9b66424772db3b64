// Starting a host's maintenance: no new VM is placed there and, when asked, its VMs move away (a
// drain): running and paused ones live, stopped ones left or moved cold. The drain is one task with
// one step per VM; the host page follows it live.
import { createSignal, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { DrainStoppedVms } from '../gql/graphql.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { Checkbox, FormDialog, Select } from '../components/Field.tsx';

const DrainHostDocument = graphql(`
  mutation DrainHost($id: ID!, $input: SetHostMaintenanceInput!) {
    setHostMaintenance(id: $id, input: $input) {
      __typename
      ... on SetHostMaintenancePayload { host { ...HostFields } task { id } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export function MaintenanceDialog(props: { host: { id: string; name: string }; vmCount: number; mayMigrate: boolean; onClose: () => void; onDone: () => void }) {
  const [drain, setDrain] = createSignal(props.mayMigrate && props.vmCount > 0);
  const [stopped, setStopped] = createSignal<DrainStoppedVms>('LEAVE');
  const form = createSubmit(['stoppedVms']);
  const submit = () =>
    form.submit(async () => (await request(DrainHostDocument, { id: props.host.id, input: { maintenance: true, drain: drain(), stoppedVms: drain() ? stopped() : undefined } })).setHostMaintenance, () => props.onDone());
  return (
    <FormDialog title={`Start maintenance of ${props.host.name}`} onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit={drain() ? 'Start maintenance and move VMs' : 'Start maintenance'}>
      <p>No new VM is placed on {props.host.name} while it is in maintenance.</p>
      <Show when={props.mayMigrate} fallback={<p class="muted">Moving its VMs needs the VM.Migrate privilege.</p>}>
        <Checkbox id="drain" label={`Move its VMs to other hosts (${props.vmCount})`} hint="Running and paused VMs move live, each to the host with the most room" checked={drain()} onChange={setDrain} />
        <Show when={drain()}>
          <Select id="drain-stopped" label="Stopped VMs" value={stopped()} onChange={(v) => setStopped(v as DrainStoppedVms)} error={form.errors().stoppedVms}>
            <option value="LEAVE">Leave them here (their disks stay on {props.host.name})</option>
            <option value="MOVE">Move them too (their disks are copied)</option>
          </Select>
        </Show>
      </Show>
    </FormDialog>
  );
}
