import { createSignal, For } from 'solid-js';
import type { ImageInput, ImageRowFragment as Image, ImageVisibility } from '../gql/graphql.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { createQuery } from '../lib/live.ts';
import { Field, FormDialog, FormError, Select } from '../components/Field.tsx';
import { Dialog, DialogActions } from '../components/ui.tsx';
import { CaptureImageDocument } from '../vm/documents.ts';
import type { Task } from '../vm/TaskLive.tsx';
import { CaptureVmsDocument, DeleteImageDocument, ImportImageDocument, ShareImageDocument } from './documents.ts';
import { IMAGE_FIELDS, ImageFields, VisibilityFields } from './ImageFields.tsx';

export function ImportDialog(props: { onClose: () => void; onStarted: (task: Task) => void }) {
  const [url, setUrl] = createSignal('');
  const [input, setInput] = createSignal<ImageInput>({ name: '', cloudInit: true });
  const form = createSubmit(IMAGE_FIELDS);
  const submit = () => form.submit(async () => (await request(ImportImageDocument, { url: url(), input: input() })).importImage, (r) => props.onStarted(r.task));
  return (
    <FormDialog title="Import an image by URL" onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Import" disabled={form.busy()}>
      <Field id="import-url" label="URL (http or https)" type="url" value={url()} onInput={setUrl} error={form.errors().url} placeholder="https://cloud.debian.org/…/debian-12-genericcloud-amd64.qcow2" />
      <ImageFields prefix="import" value={input()} onChange={setInput} errors={form.errors()} />
    </FormDialog>
  );
}

export function CaptureFromVmDialog(props: { onClose: () => void; onStarted: (task: Task) => void }) {
  const vms = createQuery(CaptureVmsDocument, () => ({}));
  const [vmId, setVmId] = createSignal('');
  const [name, setName] = createSignal('');
  const form = createSubmit(['vmId', 'name']);
  const candidates = () => vms.data()?.vms.edges.map((e) => e.node).filter((v) => v.image && (v.state === 'RUNNING' || v.state === 'STOPPED')) ?? [];
  const submit = () => {
    const chosen = vmId() || candidates()[0]?.id;
    if (!chosen) return form.invalid({ vmId: 'Choose a VM' });
    void form.submit(async () => (await request(CaptureImageDocument, { vmId: chosen, name: name() })).captureImage, (r) => props.onStarted(r.task));
  };
  return (
    <FormDialog title="Capture an image from a VM" onClose={props.onClose} onSubmit={submit} error={form.error()} submit="Capture" disabled={form.busy()}>
      <Select id="capture-vm" label="VM" value={vmId()} onChange={setVmId} error={form.errors().vmId}>
        <For each={candidates()} fallback={<option value="">No VM deployed from an image</option>}>
          {(v) => <option value={v.id}>{v.name}</option>}
        </For>
      </Select>
      <Field id="capture-image-name" label="Image name" value={name()} onInput={setName} error={form.errors().name} />
      <p class="hint">The VM shuts down cleanly for the copy and starts again if it was running.</p>
    </FormDialog>
  );
}

export function ShareDialog(props: { image: Image; onClose: () => void; onDone: () => void }) {
  const [visibility, setVisibility] = createSignal<ImageVisibility>(props.image.visibility);
  const [chosen, setChosen] = createSignal(new Set(props.image.sharedWith.map((u) => u.id)));
  const form = createSubmit();
  const submit = () =>
    form.submit(async () => (await request(ShareImageDocument, { id: props.image.id, visibility: visibility(), userIds: visibility() === 'SHARED' ? [...chosen()] : undefined })).shareImage, () => props.onDone());
  return (
    <FormDialog title={`Share ${props.image.name}`} onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Save" disabled={form.busy()}>
      <VisibilityFields prefix="share" visibility={visibility()} onVisibility={setVisibility} chosen={chosen()} onChosen={setChosen} sharedWith={props.image.sharedWith} />
    </FormDialog>
  );
}

export function DeleteDialog(props: { image: Image; onClose: () => void; onDone: () => void }) {
  const form = createSubmit();
  const run = () => form.submit(async () => (await request(DeleteImageDocument, { id: props.image.id })).deleteImage, () => props.onDone());
  return (
    <Dialog title={`Delete ${props.image.name}?`} onClose={props.onClose}>
      <p>The image file is removed. VMs already deployed from it keep running; Hangar refuses while a VM still uses it.</p>
      <FormError message={form.error()} />
      <DialogActions onCancel={props.onClose}>
        <button type="button" class="danger" disabled={form.busy()} onClick={() => void run()}>
          Delete image
        </button>
      </DialogActions>
    </Dialog>
  );
}
