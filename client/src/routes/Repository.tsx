// The image repository: the OS images the repositories offer, installed with one click and kept
// current, and (for image managers) the repositories themselves.
import { createSignal, For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import type { RepositoryImagesQuery } from '../gql/graphql.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { createQuery, createSubscription, debounce } from '../lib/live.ts';
import { bytes, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Field, TextArea } from '../components/Field.tsx';
import { Alert, Badge, ListTable, Notice, PageHeader } from '../components/ui.tsx';
import { isFinished, TaskCard, type Task } from '../vm/TaskLive.tsx';
import {
  AddImageRepositoryDocument,
  ImageRepositoriesDocument,
  InstallRepositoryImageDocument,
  RefreshImageRepositoryDocument,
  RepositoryImagesChangedDocument,
  RepositoryImagesDocument,
  SetImageRepositoryEnabledDocument,
} from '../image/repository-documents.ts';

type Offered = RepositoryImagesQuery['repositoryImages'][number];

const REFUSALS: Record<string, string> = {
  CHECKSUM_MISMATCH: 'the download did not match the repository’s checksum',
  SIZE_MISMATCH: 'the download was not the size the repository gives',
  DOWNLOAD_FAILED: 'the download failed',
  UNREACHABLE: 'unreachable',
  INVALID_INDEX: 'not a valid index',
  UNSAFE_NAME: 'the index has unsafe names',
  UNSAFE_PATH: 'the index has paths outside the repository',
  BAD_SIGNATURE: 'the index is not signed by the repository’s key',
};
const refusal = (reason: string) => REFUSALS[reason] ?? `the file was refused (${reason.toLowerCase().replace(/_/g, ' ')})`;

export default function Repository() {
  const session = useSession();
  const manager = () => session.can('Image_Manage');
  const offered = createQuery(RepositoryImagesDocument, () => ({}));
  const [started, setStarted] = createSignal<Task[]>([]);
  const [notice, setNotice] = createSignal<string>();
  const install = createSubmit();
  // An image installed, updated or deleted elsewhere (another admin, a refresh removing an old build).
  createSubscription(RepositoryImagesChangedDocument, () => ({}), debounce(() => void offered.refetch(), 300));

  const installing = (o: Offered) => o.image?.status === 'UPLOADING' || (o.installTask && !isFinished(o.installTask));
  // Installs started here, and those still running that the list shows (started elsewhere or before a reload).
  const tasks = () => {
    const mine = started();
    const running = (offered.data()?.repositoryImages ?? []).map((o) => o.installTask).filter((t): t is Task => !!t && !isFinished(t) && !mine.some((m) => m.id === t.id));
    return [...mine, ...running];
  };
  const start = (o: Offered) =>
    install.submit(
      async () => (await request(InstallRepositoryImageDocument, { id: o.id })).installRepositoryImage,
      (r) => {
        setStarted((list) => [r.task, ...list]);
        void offered.refetch();
      },
      { prefix: o.name },
    );

  return (
    <section>
      <PageHeader title="Image repository" back={{ href: '/images', label: 'Images' }} />
      <p class="muted">
        Operating systems ready to deploy, from the vendors’ own cloud images and the repositories an administrator added. Each download is verified against the repository’s
        checksum before it becomes a public image.
      </p>
      <Notice message={notice()} />
      <Alert message={install.error() ?? offered.error()} />
      <For each={tasks()}>{(t) => <TaskCard task={t} open onChange={(next) => isFinished(next) && void offered.refetch()} />}</For>
      <ListTable
        loaded={offered.data()}
        what="offered images"
        empty={manager() ? 'No repository offers anything yet: refresh one below, or add your own.' : 'No repository offers anything yet: ask an administrator to add one.'}
        label="Offered images"
        columns={['Image', 'OS', 'Size', 'Status']}
        actions
        each={offered.data()?.repositoryImages ?? []}
      >
        {(o) => (
          <tr data-repository-image={o.product}>
            <td data-label="Image">
              <strong>{o.name}</strong>
              <div class="muted small">
                {o.repository.name} · version {o.version}
                <Show when={o.arch}> · {o.arch}</Show>
                <Show when={o.defaultUser}> · user {o.defaultUser}</Show>
                <Show when={o.minDiskGb}> · at least {o.minDiskGb} GiB disk</Show>
                <Show when={o.minMemoryMb}> · {o.minMemoryMb} MiB memory</Show>
              </div>
            </td>
            <td data-label="OS">{[o.osFamily, o.osVersion].filter(Boolean).join(' ') || '—'}</td>
            <td data-label="Size">{o.sizeBytes ? bytes(o.sizeBytes) : '—'}</td>
            <td data-label="Status">
              <Show
                when={installing(o)}
                fallback={
                  <Show when={o.installed} fallback={<Badge state={o.updateAvailable ? 'UPDATE_AVAILABLE' : 'NOT_INSTALLED'} label={o.updateAvailable ? 'update available' : 'not installed'} />}>
                    <Badge state="READY" label="installed" />
                  </Show>
                }
              >
                <Badge state="RUNNING" label="installing" busy />
              </Show>
              <Show when={o.installFailure}>{(f) => <div class="field-error small">Refused: {refusal(f().reason)}</div>}</Show>
              <div class="muted small">new since {when(o.versionSeenAt)}</div>
            </td>
            <td class="row-actions">
              <Show when={manager() && !o.installed && !installing(o)}>
                <button type="button" class="small" disabled={install.busy()} onClick={() => void start(o)}>
                  {o.updateAvailable ? 'Update' : 'Install'}
                </button>
              </Show>
              <Show when={o.installed && o.image && session.can('VM_Create')}>
                <A class="button small secondary" href={`/vms/new?image=${encodeURIComponent(o.image!.id)}`}>
                  Deploy
                </A>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
      <Show when={manager()}>
        <Repositories onChanged={(message) => { setNotice(message); void offered.refetch(); }} />
      </Show>
    </section>
  );
}

/** The repositories (image managers): enable, disable, refresh, add. */
function Repositories(props: { onChanged: (message: string) => void }) {
  const repositories = createQuery(ImageRepositoriesDocument, () => ({}));
  const action = createSubmit();
  const add = createSubmit(['name', 'url', 'signingKey']);
  const [name, setName] = createSignal('');
  const [url, setUrl] = createSignal('');
  const [signingKey, setSigningKey] = createSignal('');
  const done = (message: string) => {
    void repositories.refetch();
    props.onChanged(message);
  };
  const news = (r: { added: number; updated: number }) => (r.added || r.updated ? `${r.added} new, ${r.updated} updated` : 'nothing new');

  return (
    <section class="card" aria-label="Repositories">
      <h2>Repositories</h2>
      <Alert message={action.error() ?? repositories.error()} />
      <ListTable loaded={repositories.data()} what="repositories" empty="No repository." label="Repositories" columns={['Repository', 'Last refresh', 'State']} actions each={repositories.data()?.imageRepositories ?? []}>
        {(r) => (
          <tr data-repository={r.name}>
            <td data-label="Repository">
              <strong>{r.name}</strong>
              <div class="muted small">
                {r.builtin ? 'built in: the vendors’ cloud images' : r.url}
                <Show when={r.signed}> · signed</Show>
              </div>
            </td>
            <td data-label="Last refresh">
              {r.refreshedAt ? when(r.refreshedAt) : 'never'}
              <Show when={r.refreshFailure}>{(f) => <div class="field-error small">Refused: {refusal(f().reason)}. {f().message}</div>}</Show>
            </td>
            <td data-label="State">{r.enabled ? 'enabled' : 'disabled'}</td>
            <td class="row-actions">
              <button
                type="button"
                class="small secondary"
                disabled={action.busy()}
                onClick={() => void action.submit(async () => (await request(RefreshImageRepositoryDocument, { id: r.id })).refreshImageRepository, (x) => done(`${r.name}: ${news(x)}.`), { prefix: r.name }).then(() => repositories.refetch())}
              >
                Refresh
              </button>
              <button
                type="button"
                class="small secondary"
                disabled={action.busy()}
                onClick={() => void action.submit(async () => (await request(SetImageRepositoryEnabledDocument, { id: r.id, enabled: !r.enabled })).setImageRepositoryEnabled, () => done(`${r.name} is ${r.enabled ? 'disabled' : 'enabled'}.`))}
              >
                {r.enabled ? 'Disable' : 'Enable'}
              </button>
            </td>
          </tr>
        )}
      </ListTable>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add.submit(async () => (await request(AddImageRepositoryDocument, { name: name(), url: url(), signingKey: signingKey() || null })).addImageRepository, (r) => {
            setName('');
            setUrl('');
            setSigningKey('');
            done(`${r.repository.name} added: ${news(r)}.`);
          });
        }}
      >
        <h3>Add a repository</h3>
        <p class="muted small">
          The folder holding <code>streams/v1/index.json</code> (simplestreams, as Incus image servers publish). <code>hangar repository build DIR</code> writes one for a folder of images.
        </p>
        <Field id="repository-name" label="Name" value={name()} onInput={setName} error={add.errors().name} />
        <Field id="repository-url" label="URL" type="url" value={url()} onInput={setUrl} error={add.errors().url} placeholder="https://images.example.org/" />
        <TextArea
          id="repository-key"
          label="Signing key (optional)"
          hint="An OpenPGP public key (gpg --armor --export): then only the index it clearsigned (streams/v1/*.sjson) is read."
          value={signingKey()}
          onInput={setSigningKey}
          error={add.errors().signingKey}
          rows={3}
          mono
        />
        <Alert message={add.error()} />
        <button type="submit" disabled={add.busy()}>
          Add repository
        </button>
      </form>
    </section>
  );
}
