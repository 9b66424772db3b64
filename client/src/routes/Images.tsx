import { createSignal, For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import type { ImageRowFragment as Image } from '../gql/graphql.ts';
import { createLiveList, createQuery, createSubscription } from '../lib/live.ts';
import { bytes, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { SearchField } from '../components/Field.tsx';
import { Alert, Badge, ListTable, Notice, PageHeader } from '../components/ui.tsx';
import { TaskCard, type Task } from '../vm/TaskLive.tsx';
import { IMAGES_PAGE, imageOrder, ImagesDocument, ImagesUpdatedDocument } from '../image/documents.ts';
import { CaptureFromVmDialog, DeleteDialog, ImportDialog, ShareDialog } from '../image/ImageDialogs.tsx';
import { UploadDialog } from '../image/UploadDialog.tsx';
import { EmptyCatalogue } from '../image/EmptyCatalogue.tsx';

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
    order: imageOrder,
    limit: IMAGES_PAGE,
  });
  createSubscription(ImagesUpdatedDocument, () => ({}), ({ imagesUpdated: change }) => (change.image ? catalog.put(change.image) : catalog.remove(change.id)));

  const images = () => catalog.items;
  const mayChange = (img: Image) => img.owner?.id === session.me().id || session.can('Image_Manage');
  // The image it makes arrives by imagesUpdated; the card shows the task's steps.
  const followTask = (task: Task) => setTasks((list) => [task, ...list]);

  return (
    <section>
      <PageHeader title="Images">
        <A class="button secondary" href="/images/repository">
          Repository
        </A>
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
      <SearchField id="image-search" placeholder="Name or OS…" value={search()} onInput={setSearch} />
      <Notice message={notice()} />
      <For each={tasks()}>{(t) => <TaskCard task={t} open />}</For>
      <Alert message={query.error()} />
      <Show when={!(query.data() && !search() && !images().length)} fallback={<EmptyCatalogue onUpload={() => setDialog({ kind: 'upload' })} onImport={() => setDialog({ kind: 'import' })} onCapture={() => setDialog({ kind: 'capture' })} />}>
        <ListTable loaded={query.data()} what="images" empty={`No image matches “${search()}”.`} label="Images" columns={['Name', 'OS', 'Status', 'Size', 'Visibility', 'Owner']} actions each={images()}>
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
        </ListTable>
      </Show>

      <Show when={dialog()}>
        {(d) => {
          const close = () => setDialog(undefined);
          const current = d();
          switch (current.kind) {
            case 'upload':
              return <UploadDialog onClose={close} onDone={(message) => { close(); setNotice(message); }} />;
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
