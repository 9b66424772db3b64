import { createSignal, Show } from 'solid-js';
import type { ImageInput } from '../gql/graphql.ts';
import { errorText, uploadRequest } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { bytes } from '../lib/format.ts';
import { FormDialog } from '../components/Field.tsx';
import { ProgressBar } from '../components/ui.tsx';
import { UploadImageDocument } from './documents.ts';
import { IMAGE_FIELDS, ImageFields } from './ImageFields.tsx';

/** Uploads a disk image with its progress; Hangar checks it before the dialog reports it done. */
export function UploadDialog(props: { onClose: () => void; onDone: (name: string) => void }) {
  const [file, setFile] = createSignal<File>();
  const [input, setInput] = createSignal<ImageInput>({ name: '', cloudInit: true });
  const [progress, setProgress] = createSignal<{ sent: number; total: number }>();
  const [checking, setChecking] = createSignal(false);
  const form = createSubmit(IMAGE_FIELDS);
  const abort = new AbortController();

  const submit = async () => {
    const f = file();
    if (!f) return form.invalid({ file: 'Choose a qcow2 or raw disk image' });
    setProgress({ sent: 0, total: f.size });
    const onProgress = (sent: number, total: number) => {
      setProgress({ sent, total });
      if (sent >= total) setChecking(true);
    };
    const variables = { input: { ...input(), name: input().name || f.name.replace(/\.(qcow2|raw|img)$/i, '') }, file: null as unknown as File };
    const done = await form.submit(
      async () => (await uploadRequest(UploadImageDocument, variables, 'file', f, onProgress, abort.signal)).uploadImage,
      (image) => props.onDone(image.name),
      { thrown: (e) => ((e as Error).name === 'AbortError' ? 'Upload cancelled.' : errorText(e)) },
    );
    if (!done) setProgress(undefined);
    setChecking(false);
  };

  const cancel = () => {
    abort.abort();
    props.onClose();
  };

  return (
    <FormDialog title="Upload an image" onClose={cancel} onSubmit={() => void submit()} error={form.error()} submit="Upload" disabled={!!progress()}>
      <div class="field">
        <label for="upload-file">Disk image (qcow2 or raw)</label>
        <input id="upload-file" type="file" accept=".qcow2,.img,.raw,application/octet-stream" onChange={(e) => setFile(e.currentTarget.files?.[0])} aria-invalid={form.errors().file ? 'true' : undefined} />
        <Show when={form.errors().file}>
          <p class="field-error">{form.errors().file}</p>
        </Show>
        <Show when={file()}>
          <p class="hint">{bytes(file()!.size)}</p>
        </Show>
      </div>
      <ImageFields prefix="upload" value={input()} onChange={setInput} errors={form.errors()} />
      <Show when={progress()}>
        {(p) => (
          <div class="upload-progress" aria-live="polite">
            <ProgressBar value={p().sent} max={p().total || 1} label="Upload progress" />
            <p class="muted small" data-testid="upload-progress">
              {checking() ? 'Uploaded; Hangar is checking the image…' : `${bytes(p().sent)} of ${bytes(p().total)} (${Math.floor((p().sent / (p().total || 1)) * 100)} %)`}
            </p>
          </div>
        )}
      </Show>
    </FormDialog>
  );
}
