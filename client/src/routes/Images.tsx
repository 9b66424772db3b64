import { createSignal, For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { ImageInput, ImageRowFragment as Image, ImageVisibility } from '../gql/graphql.ts';
import { createLiveList, createQuery, createSubscription } from '../lib/live.ts';
import { errorText, request, uploadRequest } from '../lib/graphql.ts';
import { describeError, isTypedError, splitError, type FieldMessages } from '../lib/errors.ts';
import { bytes, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Checkbox, Field, FormError, Select } from '../components/Field.tsx';
import { Badge, Dialog, Empty, Loading, PageHeader, ProgressBar } from '../components/ui.tsx';
import { TaskCard, type Task } from '../vm/TaskLive.tsx';
import { CaptureImageDocument } from '../vm/documents.ts';

const ImageRowFragment = graphql(`
  fragment ImageRow on Image {
    id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes
    visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256
    owner { id name }
    sharedWith { id name }
  }
`);

// The fields of ImageRow written out: a fragment spread inside a connection counts one level deeper
// in the API's query cost limit.
const ImagesDocument = graphql(`
  query Images($filter: ImageFilter) {
    images(filter: $filter, first: 40) {
      edges {
        node {
          id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes
          visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256
          owner { id name }
          sharedWith { id name }
        }
      }
    }
  }
`);

// Every image added, changed, shared or deleted; image is null once it is gone from our view.
const ImagesUpdatedDocument = graphql(`
  subscription ImagesUpdated { imagesUpdated { id image { ...ImageRow } } }
`);

/** As many as the query reads. */
const PAGE = 40;

const UploadImageDocument = graphql(`
  mutation UploadImage($input: ImageInput!, $file: Upload!) {
    uploadImage(input: $input, file: $file) {
      __typename
      ... on Image { id name status }
      ... on ImageRejectedError { reason }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const ImportImageDocument = graphql(`
  mutation ImportImage($input: ImageInput!, $url: String!) {
    importImage(input: $input, url: $url) {
      __typename
      ... on ImportImagePayload { image { id name status } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const ShareImageDocument = graphql(`
  mutation ShareImage($id: ID!, $visibility: ImageVisibility!, $userIds: [ID!]) {
    shareImage(id: $id, visibility: $visibility, userIds: $userIds) {
      __typename
      ... on Image { id visibility sharedWith { id name } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DeleteImageDocument = graphql(`
  mutation DeleteImage($id: ID!) {
    deleteImage(id: $id) { __typename ... on Image { id } ... on Error { message } }
  }
`);

const ShareCandidatesDocument = graphql(`
  query ShareCandidates { users(first: 100) { edges { node { id name email } } } }
`);

const CaptureVmsDocument = graphql(`
  query CaptureVms { vms(first: 100) { edges { node { id name state image { id } } } } }
`);

type DialogState = { kind: 'upload' } | { kind: 'import' } | { kind: 'capture' } | { kind: 'share'; image: Image } | { kind: 'delete'; image: Image };

export default function Images() {
  const session = useSession();
  const [search, setSearch] = createSignal('');
  const query = createQuery(ImagesDocument, () => ({ filter: { search: search() || undefined } }));
  const [dialog, setDialog] = createSignal<DialogState>();
  const [tasks, setTasks] = createSignal<Task[]>([]);
  const [notice, setNotice] = createSignal<string>();

  /** The server's search (in the name, OS family or version) and order (by name), for images that arrive live. */
  const matches = (img: Image) => {
    const words = search().toLowerCase();
    return !words || [img.name, img.osFamily, img.osVersion].some((text) => text?.toLowerCase().includes(words));
  };
  const catalog = createLiveList(() => query.data()?.images.edges.map((e) => e.node), {
    matches,
    order: (a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    limit: PAGE,
  });
  createSubscription(ImagesUpdatedDocument, () => ({}), ({ imagesUpdated: change }) => (change.image ? catalog.put(change.image) : catalog.remove(change.id)));

  const images = () => catalog.items;
  const mayChange = (img: Image) => img.owner?.id === session.me().id || session.can('Image_Manage');
  // The image it makes arrives by imagesUpdated; the card shows the task's steps.
  const followTask = (task: Task) => setTasks((list) => [task, ...list]);

  return (
    <section>
      <PageHeader title="Images">
        <Show when={session.can('Image_Create')}>
          <button type="button" onClick={() => setDialog({ kind: 'upload' })}>
            Upload
          </button>
          <button type="button" class="secondary" onClick={() => setDialog({ kind: 'import' })}>
            Import by URL
          </button>
          <Show when={session.can('VM_PowerMgmt')}>
            <button type="button" class="secondary" onClick={() => setDialog({ kind: 'capture' })}>
              Capture from VM
            </button>
          </Show>
        </Show>
      </PageHeader>
      <div class="toolbar" role="search">
        <div class="field inline">
          <label for="image-search">Search</label>
          <input id="image-search" type="search" placeholder="Name or OS…" value={search()} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
      </div>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <For each={tasks()}>{(t) => <TaskCard task={t} open />}</For>
      <Show when={query.error()}>
        <p class="form-error" role="alert">
          {query.error()}
        </p>
      </Show>
      <Show when={query.data()} fallback={<Loading what="images" />}>
        <Show when={images().length} fallback={<Empty>No images yet. Upload a qcow2 or raw disk, or import one by URL.</Empty>}>
          <table class="table" aria-label="Images">
            <thead>
              <tr>
                <th>Name</th>
                <th>OS</th>
                <th>Status</th>
                <th>Size</th>
                <th>Visibility</th>
                <th>Owner</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={images()}>
                {(img) => (
                  <tr data-image-id={img.id}>
                    <td data-label="Name">
                      <strong>{img.name}</strong>
                      <div class="muted small">
                        {img.format ?? ''} {img.cloudInit ? '· cloud-init' : ''} · added {when(img.createdAt)}
                      </div>
                    </td>
                    <td data-label="OS">{[img.osFamily, img.osVersion].filter(Boolean).join(' ') || '—'}</td>
                    <td data-label="Status">
                      <Badge state={img.status} />
                      <Show when={img.statusMessage}>
                        <div class="muted small">{img.statusMessage}</div>
                      </Show>
                    </td>
                    <td data-label="Size">
                      {bytes(img.virtualSizeBytes)}
                      <Show when={img.fileSizeBytes}>
                        <div class="muted small">{bytes(img.fileSizeBytes)} stored</div>
                      </Show>
                    </td>
                    <td data-label="Visibility">
                      {img.visibility.toLowerCase()}
                      <Show when={img.visibility === 'SHARED' && img.sharedWith.length}>
                        <div class="muted small">with {img.sharedWith.map((u) => u.name).join(', ')}</div>
                      </Show>
                    </td>
                    <td data-label="Owner">{img.owner?.name ?? '—'}</td>
                    <td class="row-actions">
                      <Show when={img.status === 'READY' && session.can('VM_Create')}>
                        <A class="button small secondary" href={`/vms/new?image=${encodeURIComponent(img.id)}`}>
                          Deploy
                        </A>
                      </Show>
                      <Show when={mayChange(img) && (session.can('Image_Share') || session.can('Image_Manage'))}>
                        <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'share', image: img })}>
                          Share
                        </button>
                      </Show>
                      <Show when={mayChange(img)}>
                        <button type="button" class="small danger-outline" onClick={() => setDialog({ kind: 'delete', image: img })}>
                          Delete
                        </button>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </Show>

      <Show when={dialog()}>
        {(d) => {
          const close = () => setDialog(undefined);
          const current = d();
          switch (current.kind) {
            case 'upload':
              return <UploadDialog onClose={close} onDone={(name) => { close(); setNotice(`${name} was uploaded and checked.`); }} />;
            case 'import':
              return <ImportDialog onClose={close} onStarted={(t) => { close(); followTask(t); }} />;
            case 'capture':
              return <CaptureFromVmDialog onClose={close} onStarted={(t) => { close(); followTask(t); }} />;
            case 'share':
              return <ShareDialog image={current.image} onClose={close} onDone={close} />;
            case 'delete':
              return <DeleteDialog image={current.image} onClose={close} onDone={() => { close(); setNotice(`${current.image.name} was deleted.`); }} />;
          }
        }}
      </Show>
    </section>
  );
}

const IMAGE_FIELDS = ['name', 'osFamily', 'osVersion', 'defaultUser', 'minDiskGb', 'minMemoryMb', 'url', 'file'];

function ImageFields(props: { prefix: string; value: ImageInput; onChange: (v: ImageInput) => void; errors: FieldMessages }) {
  const set = (patch: Partial<ImageInput>) => props.onChange({ ...props.value, ...patch });
  return (
    <>
      <Field id={`${props.prefix}-name`} label="Name" value={props.value.name} onInput={(v) => set({ name: v })} error={props.errors.name} />
      <div class="row2">
        <Field id={`${props.prefix}-os`} label="OS family" placeholder="debian" value={props.value.osFamily ?? ''} onInput={(v) => set({ osFamily: v || undefined })} error={props.errors.osFamily} />
        <Field id={`${props.prefix}-version`} label="OS version" placeholder="12" value={props.value.osVersion ?? ''} onInput={(v) => set({ osVersion: v || undefined })} error={props.errors.osVersion} />
      </div>
      <Checkbox id={`${props.prefix}-cloudinit`} label="The guest runs cloud-init" checked={props.value.cloudInit ?? false} onChange={(v) => set({ cloudInit: v })} />
      <Field id={`${props.prefix}-user`} label="Default login user" placeholder="debian" value={props.value.defaultUser ?? ''} onInput={(v) => set({ defaultUser: v || undefined })} error={props.errors.defaultUser} />
    </>
  );
}

function UploadDialog(props: { onClose: () => void; onDone: (name: string) => void }) {
  const [file, setFile] = createSignal<File>();
  const [input, setInput] = createSignal<ImageInput>({ name: '', cloudInit: true });
  const [progress, setProgress] = createSignal<{ sent: number; total: number }>();
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const [checking, setChecking] = createSignal(false);
  const abort = new AbortController();

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = file();
    if (!f) return setErrors({ file: 'Choose a qcow2 or raw disk image' });
    setErrors({});
    setGeneral(undefined);
    setProgress({ sent: 0, total: f.size });
    try {
      const data = await uploadRequest(UploadImageDocument, { input: { ...input(), name: input().name || f.name.replace(/\.(qcow2|raw|img)$/i, '') }, file: null as unknown as File }, 'file', f, (sent, total) => {
        setProgress({ sent, total });
        if (sent >= total) setChecking(true);
      }, abort.signal);
      const result = data.uploadImage;
      if (isTypedError(result)) {
        const split = splitError(result, IMAGE_FIELDS);
        setErrors(split.fields);
        setGeneral(split.general);
        setProgress(undefined);
        return;
      }
      props.onDone(result.name);
    } catch (err) {
      setGeneral((err as Error).name === 'AbortError' ? 'Upload cancelled.' : errorText(err));
      setProgress(undefined);
    } finally {
      setChecking(false);
    }
  };

  const cancel = () => {
    abort.abort();
    props.onClose();
  };

  return (
    <Dialog title="Upload an image" onClose={cancel}>
      <form class="stack" onSubmit={submit} novalidate>
        <div class="field">
          <label for="upload-file">Disk image (qcow2 or raw)</label>
          <input id="upload-file" type="file" accept=".qcow2,.img,.raw,application/octet-stream" onChange={(e) => setFile(e.currentTarget.files?.[0])} aria-invalid={errors().file ? 'true' : undefined} />
          <Show when={errors().file}>
            <p class="field-error">{errors().file}</p>
          </Show>
          <Show when={file()}>
            <p class="hint">{bytes(file()!.size)}</p>
          </Show>
        </div>
        <ImageFields prefix="upload" value={input()} onChange={setInput} errors={errors()} />
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
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" disabled={!!progress()}>
            Upload
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ImportDialog(props: { onClose: () => void; onStarted: (task: Task) => void }) {
  const [url, setUrl] = createSignal('');
  const [input, setInput] = createSignal<ImageInput>({ name: '', cloudInit: true });
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral(undefined);
    try {
      const { importImage: r } = await request(ImportImageDocument, { url: url(), input: input() });
      if (isTypedError(r)) {
        const split = splitError(r, IMAGE_FIELDS);
        setErrors(split.fields);
        setGeneral(split.general);
      } else props.onStarted(r.task);
    } catch (err) {
      setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Import an image by URL" onClose={props.onClose}>
      <form class="stack" onSubmit={submit} novalidate>
        <Field id="import-url" label="URL (http or https)" type="url" value={url()} onInput={setUrl} error={errors().url} placeholder="https://cloud.debian.org/…/debian-12-genericcloud-amd64.qcow2" />
        <ImageFields prefix="import" value={input()} onChange={setInput} errors={errors()} />
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy()}>
            Import
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CaptureFromVmDialog(props: { onClose: () => void; onStarted: (task: Task) => void }) {
  const vms = createQuery(CaptureVmsDocument, () => ({}));
  const [vmId, setVmId] = createSignal('');
  const [name, setName] = createSignal('');
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const candidates = () => vms.data()?.vms.edges.map((e) => e.node).filter((v) => v.image && (v.state === 'RUNNING' || v.state === 'STOPPED')) ?? [];
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const chosen = vmId() || candidates()[0]?.id;
    if (!chosen) return setErrors({ vmId: 'Choose a VM' });
    setBusy(true);
    setErrors({});
    setGeneral(undefined);
    try {
      const { captureImage: r } = await request(CaptureImageDocument, { vmId: chosen, name: name() });
      if (isTypedError(r)) {
        const split = splitError(r, ['vmId', 'name']);
        setErrors(split.fields);
        setGeneral(split.general);
      } else props.onStarted(r.task);
    } catch (err) {
      setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Capture an image from a VM" onClose={props.onClose}>
      <form class="stack" onSubmit={submit} novalidate>
        <Select id="capture-vm" label="VM" value={vmId()} onChange={setVmId} error={errors().vmId}>
          <For each={candidates()} fallback={<option value="">No VM deployed from an image</option>}>
            {(v) => <option value={v.id}>{v.name}</option>}
          </For>
        </Select>
        <Field id="capture-image-name" label="Image name" value={name()} onInput={setName} error={errors().name} />
        <p class="hint">The VM shuts down cleanly for the copy and starts again if it was running.</p>
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy()}>
            Capture
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function ShareDialog(props: { image: Image; onClose: () => void; onDone: () => void }) {
  const session = useSession();
  const canListUsers = session.can('User_View') || session.can('User_Manage');
  const users = createQuery(ShareCandidatesDocument, () => (canListUsers ? {} : false));
  const [visibility, setVisibility] = createSignal<ImageVisibility>(props.image.visibility);
  const [chosen, setChosen] = createSignal(new Set(props.image.sharedWith.map((u) => u.id)));
  const [general, setGeneral] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setBusy(true);
    setGeneral(undefined);
    try {
      const { shareImage: r } = await request(ShareImageDocument, { id: props.image.id, visibility: visibility(), userIds: visibility() === 'SHARED' ? [...chosen()] : undefined });
      if (isTypedError(r)) setGeneral(describeError(r));
      else props.onDone();
    } catch (err) {
      setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Share ${props.image.name}`} onClose={props.onClose}>
      <form class="stack" onSubmit={submit} novalidate>
        <Select id="share-visibility" label="Who sees it" value={visibility()} onChange={(v) => setVisibility(v as ImageVisibility)}>
          <option value="PRIVATE">Only me</option>
          <option value="SHARED">Me and chosen users</option>
          <option value="PUBLIC" disabled={!session.can('Image_Manage')}>
            Everyone{session.can('Image_Manage') ? '' : ' (needs Image.Manage)'}
          </option>
        </Select>
        <Show when={visibility() === 'SHARED'}>
          <fieldset>
            <legend>Users</legend>
            <Show when={canListUsers} fallback={<p class="hint">You may not list users; the image stays shared with {props.image.sharedWith.map((u) => u.name).join(', ') || 'nobody'}.</p>}>
              <For each={users.data()?.users.edges.filter((e) => e.node.id !== session.me().id) ?? []}>
                {(e) => (
                  <Checkbox
                    id={`share-${e.node.id}`}
                    label={`${e.node.name} (${e.node.email})`}
                    checked={chosen().has(e.node.id)}
                    onChange={(on) => {
                      const next = new Set(chosen());
                      if (on) next.add(e.node.id);
                      else next.delete(e.node.id);
                      setChosen(next);
                    }}
                  />
                )}
              </For>
            </Show>
          </fieldset>
        </Show>
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy()}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog(props: { image: Image; onClose: () => void; onDone: () => void }) {
  const [general, setGeneral] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const run = async () => {
    setBusy(true);
    setGeneral(undefined);
    try {
      const { deleteImage: r } = await request(DeleteImageDocument, { id: props.image.id });
      if (isTypedError(r)) setGeneral(describeError(r));
      else props.onDone();
    } catch (err) {
      setGeneral(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Delete ${props.image.name}?`} onClose={props.onClose}>
      <p>The image file is removed. VMs already deployed from it keep running; Hangar refuses while a VM still uses it.</p>
      <FormError message={general()} />
      <div class="dialog-actions">
        <button type="button" class="secondary" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" class="danger" disabled={busy()} onClick={() => void run()}>
          Delete image
        </button>
      </div>
    </Dialog>
  );
}
