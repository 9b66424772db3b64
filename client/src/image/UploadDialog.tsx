import { createSignal, Show } from 'solid-js';
import type { ImageInput, ImageVisibility } from '../gql/graphql.ts';
import { describeError } from '../lib/errors.ts';
import { errorText, request, uploadRequest } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { bytes } from '../lib/format.ts';
import { FormDialog } from '../components/Field.tsx';
import { ProgressBar } from '../components/ui.tsx';
import { ShareImageDocument, UploadImageDocument } from './documents.ts';
import { IMAGE_FIELDS, ImageFields, VisibilityFields } from './ImageFields.tsx';

/** "debian-12-genericcloud-amd64.qcow2" → "debian-12-genericcloud-amd64". */
export function nameOfFile(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '') || fileName;
}

/**
 * Uploads a disk image with its progress; Hangar checks it before the dialog reports it done.
 * `onDone` gets the sentence to show. uploadImage makes a private image: another visibility is
 * set by shareImage right after it.
 */
export function UploadDialog(props: { onClose: () => void; onDone: (notice: string) => void }) {
  const [file, setFile] = createSignal<File>();
  const [input, setInput] = createSignal<ImageInput>({ name: '', cloudInit: true });
  const [visibility, setVisibility] = createSignal<ImageVisibility>('PRIVATE');
  const [sharedWith, setSharedWith] = createSignal(new Set<string>());
  // The name filled from the file, replaced when another file is chosen, unless the user typed their own.
  const [filledName, setFilledName] = createSignal('');
  const [progress, setProgress] = createSignal<{ sent: number; total: number }>();
  const [checking, setChecking] = createSignal(false);
  const form = createSubmit(IMAGE_FIELDS);
  const abort = new AbortController();

  const chooseFile = (f: File | undefined) => {
    setFile(f);
    if (!f) return;
    const { file: _chosen, ...others } = form.errors();
    form.invalid(others);
    // An .iso file goes to the ISO library unless told otherwise.
    if (/\.iso$/i.test(f.name) && !input().kind) setInput({ ...input(), kind: 'ISO', cloudInit: false });
    if (!input().name || input().name === filledName()) {
      setFilledName(nameOfFile(f.name));
      setInput({ ...input(), name: filledName() });
    }
  };

  /** The uploaded image gets the chosen visibility; a refusal leaves it private and says why. */
  const share = async (image: { id: string; name: string }): Promise<string> => {
    const uploaded = `${image.name} was uploaded and checked.`;
    if (visibility() === 'PRIVATE') return uploaded;
    try {
      const result = (await request(ShareImageDocument, { id: image.id, visibility: visibility(), userIds: visibility() === 'SHARED' ? [...sharedWith()] : undefined })).shareImage;
      if ('message' in result) return `${uploaded} It stays private: ${describeError(result)}`;
      return `${uploaded} ${visibility() === 'PUBLIC' ? 'Everyone sees it.' : 'It is shared.'}`;
    } catch (e) {
      return `${uploaded} It stays private: ${errorText(e)}`;
    }
  };

  const submit = async () => {
    const f = file();
    if (!f) return form.invalid({ file: 'Choose a qcow2 or raw disk image' });
    setProgress({ sent: 0, total: f.size });
    const onProgress = (sent: number, total: number) => {
      setProgress({ sent, total });
      if (sent >= total) setChecking(true);
    };
    const variables = { input: { ...input(), name: input().name || nameOfFile(f.name) }, file: null as unknown as File };
    const done = await form.submit(
      async () => (await uploadRequest(UploadImageDocument, variables, 'file', f, onProgress, abort.signal)).uploadImage,
      async (image) => props.onDone(await share(image)),
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
        <label for="upload-file">Disk image (qcow2 or raw) or ISO</label>
        <input id="upload-file" type="file" accept=".qcow2,.img,.raw,.iso,application/octet-stream" onChange={(e) => chooseFile(e.currentTarget.files?.[0])} aria-invalid={form.errors().file ? 'true' : undefined} />
        <Show when={form.errors().file}>
          <p class="field-error">{form.errors().file}</p>
        </Show>
        <Show when={file()}>
          <p class="hint">{bytes(file()!.size)}</p>
        </Show>
      </div>
      <ImageFields prefix="upload" value={input()} onChange={setInput} errors={form.errors()} />
      <VisibilityFields prefix="upload" visibility={visibility()} onVisibility={setVisibility} chosen={sharedWith()} onChosen={setSharedWith} />
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
