import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { Field, FormDialog, Select, TextArea } from '../components/Field.tsx';
import { createQuery } from '../lib/live.ts';
import { CaptureImageDocument, ReinstallVmDocument, ResetVmPasswordDocument, ResizeVmDocument } from './documents.ts';
import type { Task } from './TaskLive.tsx';

interface VmLike {
  id: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  state: string;
  image?: { id: string; name: string } | null;
  guest?: { username: string } | null;
}

interface DialogProps {
  vm: VmLike;
  onClose: () => void;
  onStarted: (task: Task) => void;
}

export function ResizeDialog(props: DialogProps) {
  const [vcpus, setVcpus] = createSignal(String(props.vm.vcpus));
  const [memoryMb, setMemoryMb] = createSignal(String(props.vm.memoryMb));
  const [diskGb, setDiskGb] = createSignal(String(props.vm.diskGb));
  const form = createSubmit(['vcpus', 'memoryMb', 'diskGb']);
  const onSubmit = () => {
    void form.submit(
      async () => (await request(ResizeVmDocument, { id: props.vm.id, input: { vcpus: Number(vcpus()), memoryMb: Number(memoryMb()), diskGb: Number(diskGb()) } })).resizeVm,
      (r) => props.onStarted(r.task),
    );
  };
  return (
    <FormDialog title={`Resize ${props.vm.name}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Resize" disabled={form.busy()}>
      <p class="hint">A running VM restarts cleanly to take new vCPUs or memory. A disk only grows; the guest grows its root filesystem on the next boot.</p>
      <Field id="resize-vcpus" label="vCPUs" type="number" min={1} value={vcpus()} onInput={setVcpus} error={form.errors().vcpus} />
      <Field id="resize-memory" label="Memory (MiB)" type="number" min={128} value={memoryMb()} onInput={setMemoryMb} error={form.errors().memoryMb} />
      <Field id="resize-disk" label="Disk (GiB)" type="number" min={props.vm.diskGb} value={diskGb()} onInput={setDiskGb} error={form.errors().diskGb} />
    </FormDialog>
  );
}

export function ResetPasswordDialog(props: DialogProps) {
  const [password, setPassword] = createSignal('');
  const form = createSubmit(['password']);
  const onSubmit = () => {
    void form.submit(async () => (await request(ResetVmPasswordDocument, { id: props.vm.id, password: password() })).resetVmPassword, (r) => props.onStarted(r.task));
  };
  return (
    <FormDialog title={`New password for ${props.vm.guest?.username ?? 'the login user'}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Set password" disabled={form.busy() || !password()}>
      <p class="hint">Set inside the running guest through its agent.</p>
      <Field id="reset-password" label="New password" type="password" autocomplete="new-password" value={password()} onInput={setPassword} error={form.errors().password} />
    </FormDialog>
  );
}

const ReinstallImagesDocument = graphql(`
  query ReinstallImages { images(filter: { status: READY }, first: 100) { edges { node { id name } } } }
`);

export function ReinstallDialog(props: DialogProps) {
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

export function CaptureDialog(props: DialogProps) {
  const [name, setName] = createSignal(`${props.vm.name} capture`);
  const form = createSubmit(['name']);
  const onSubmit = () => {
    void form.submit(async () => (await request(CaptureImageDocument, { vmId: props.vm.id, name: name() })).captureImage, (r) => props.onStarted(r.task));
  };
  return (
    <FormDialog title={`Capture ${props.vm.name} as an image`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Capture" disabled={form.busy()}>
      <p class="hint">
        The guest shuts down cleanly for the copy<Show when={props.vm.state === 'RUNNING'}> and starts again afterwards</Show>. The image is private to you, without this
        VM's machine identity.
      </p>
      <Field id="capture-name" label="Image name" value={name()} onInput={setName} error={form.errors().name} />
    </FormDialog>
  );
}
