import { createSignal, For } from 'solid-js';
import { Field, FormDialog, Select, TextArea } from '../../components/Field.tsx';
import { createQuery } from '../../lib/live.ts';
import { graphql } from '../../gql/index.ts';
import { request } from '../../lib/graphql.ts';
import { createSubmit } from '../../lib/form.ts';
import type { ActionDialog, DialogProps } from './types.ts';

const ReinstallVmDocument = graphql(`
  mutation ReinstallVm($id: ID!, $imageId: ID, $guest: GuestInput) {
    reinstallVm(id: $id, imageId: $imageId, guest: $guest) {
      __typename
      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const ReinstallImagesDocument = graphql(`
  query ReinstallImages { images(filter: { status: READY }, first: 100) { edges { node { id name } } } }
`);

function ReinstallDialog(props: DialogProps) {
  const images = createQuery(ReinstallImagesDocument, () => ({}));
  const [imageId, setImageId] = createSignal(props.vm.image?.id ?? '');
  const [password, setPassword] = createSignal('');
  const [sshKeys, setSshKeys] = createSignal('');
  const [confirm, setConfirm] = createSignal('');
  const form = createSubmit(['imageId', 'guest.password', 'guest.sshKeys']);
  const onSubmit = () => {
    const keys = sshKeys().split('\n').map((k) => k.trim()).filter(Boolean);
    const guest = password() || keys.length ? { password: password() || undefined, sshKeys: keys.length ? keys : undefined } : undefined;
    void form.submit(
      async () => (await request(ReinstallVmDocument, { id: props.vm.id, imageId: imageId() || undefined, guest })).reinstallVm,
      (r) => props.onStarted(r.task),
    );
  };
  return (
    <FormDialog title={`Reinstall ${props.vm.name}?`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Reinstall" disabled={form.busy() || confirm() !== props.vm.name} danger>
      <p class="warning">Reinstalling replaces the disk with a fresh one: everything on it is lost. The VM keeps its id, MAC and address.</p>
      <Select id="reinstall-image" label="Image" value={imageId()} onChange={setImageId} error={form.errors().imageId}>
        <For each={images.data()?.images.edges ?? []}>{(e) => <option value={e.node.id}>{e.node.name}</option>}</For>
      </Select>
      <Field id="reinstall-password" label="New password (optional)" type="password" autocomplete="new-password" value={password()} onInput={setPassword} error={form.errors()['guest.password']} hint="Empty: the stored settings are kept" />
      <TextArea id="reinstall-keys" label="SSH keys (optional, one per line)" value={sshKeys()} onInput={setSshKeys} mono error={form.errors()['guest.sshKeys']} />
      <div class="field">
        <label for="reinstall-confirm">Type the VM's name to confirm</label>
        <input id="reinstall-confirm" value={confirm()} onInput={(e) => setConfirm(e.currentTarget.value)} autocomplete="off" />
      </div>
    </FormDialog>
  );
}

export default { action: 'REINSTALL', label: 'Reinstall', order: 3, danger: true, notice: 'Reinstall asked. The steps follow below.', component: ReinstallDialog } satisfies ActionDialog;
