// Giving a VM to another user (VM.Transfer): the server checks their quota and says what is over.
import { createResource, createSignal, For } from 'solid-js';
import { FormDialog, Select } from '../components/Field.tsx';
import { graphql } from '../gql/index.ts';
import type { VmSummaryFragment } from '../gql/graphql.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';

const TransferRecipientsDocument = graphql(`
  query TransferRecipients { users(first: 200, filter: { disabled: false }) { edges { node { id name email } } } }
`);

const TransferVmDocument = graphql(`
  mutation TransferVm($vmId: ID!, $toUserId: ID!) {
    transferVm(vmId: $vmId, toUserId: $toUserId) {
      __typename
      ... on TransferVmPayload { vm { ...VmSummary } newOwner { id name } }
      ... on QuotaExceededError { resource }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export function VmTransferDialog(props: { vm: { id: string; name: string; owner?: { id: string } | null }; onClose: () => void; onTransferred: (vm: VmSummaryFragment, to: string) => void }) {
  const [users] = createResource(async () => (await request(TransferRecipientsDocument, {}).catch(() => null))?.users.edges.map((e) => e.node) ?? []);
  const [to, setTo] = createSignal('');
  const form = createSubmit(['toUserId']);
  const recipients = () => (users() ?? []).filter((u) => u.id !== props.vm.owner?.id);
  const onSubmit = () => {
    if (!to()) return form.invalid({ toUserId: 'Choose who gets the VM' });
    void form.submit(
      async () => (await request(TransferVmDocument, { vmId: props.vm.id, toUserId: to() })).transferVm,
      (r) => props.onTransferred(r.vm, r.newOwner?.name ?? 'the new owner'),
    );
  };
  return (
    <FormDialog title={`Transfer ${props.vm.name}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Transfer" disabled={form.busy()}>
      <p class="hint">The VM becomes the new owner's and counts against their quota. Its tasks stay attributed to who asked for them.</p>
      <Select id="transfer-to" label="New owner" value={to()} onChange={setTo} error={form.errors().toUserId}>
        <option value="">Choose a user…</option>
        <For each={recipients()}>{(u) => <option value={u.id}>{u.name} ({u.email})</option>}</For>
      </Select>
    </FormDialog>
  );
}
