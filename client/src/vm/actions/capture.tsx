import { createSignal, Show } from 'solid-js';
import { Field, FormDialog } from '../../components/Field.tsx';
import { request } from '../../lib/graphql.ts';
import { createSubmit } from '../../lib/form.ts';
import { CaptureImageDocument } from '../documents.ts';
import type { ActionDialog, DialogProps } from './types.ts';

function CaptureDialog(props: DialogProps) {
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

export default { action: 'CAPTURE', label: 'Capture image', order: 4, notice: 'Capture asked: the VM shuts down for the copy and starts again. The image appears under Images.', component: CaptureDialog } satisfies ActionDialog;
