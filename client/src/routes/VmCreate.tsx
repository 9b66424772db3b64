import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { CreateVmInput } from '../gql/graphql.ts';
import { createLiveList, createQuery, createSubscription } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import type { FieldMessages } from '../lib/errors.ts';
import { createSubmit } from '../lib/form.ts';
import { bytes, mib, quotaText, vcpus as vcpuText, type QuotaLimits } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Field, FormError, Select, TextArea, Checkbox } from '../components/Field.tsx';
import { Alert, Badge, PageHeader } from '../components/ui.tsx';
import { TaskCard, isFinished, type Task } from '../vm/TaskLive.tsx';
import { imageOrder, ImagesUpdatedDocument } from '../image/documents.ts';

const CreateVmOptionsDocument = graphql(`
  query CreateVmOptions($withHosts: Boolean!) {
    images(filter: { status: READY }, first: 50) {
      edges { node { id name osFamily osVersion minDiskGb minMemoryMb cloudInit defaultUser virtualSizeBytes visibility } }
    }
    hosts @include(if: $withHosts) { id name status maintenance capabilities { cpus memoryMb } allocation { vcpus memoryMb } }
    me { id quota { maxVcpus maxMemoryMb maxDiskGb maxVms } quotaUsage { vms vcpus memoryMb diskGb } }
  }
`);

const CreateVmDocument = graphql(`
  mutation CreateVm($input: CreateVmInput!) {
    createVm(input: $input) {
      __typename
      ... on VmTaskPayload { vm { id name state } task { ...TaskFields } }
      ... on QuotaExceededError { resource }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

interface Preset {
  id: string;
  label: string;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

/** The preset chosen for the user, the first of these their quota allows. */
const PREFERRED = ['s', 'xs', 'm', 'l'];

const PRESETS: Preset[] = [
  { id: 'xs', label: 'Tiny', vcpus: 1, memoryMb: 768, diskGb: 4 },
  { id: 's', label: 'Small', vcpus: 1, memoryMb: 2048, diskGb: 20 },
  { id: 'm', label: 'Medium', vcpus: 2, memoryMb: 4096, diskGb: 40 },
  { id: 'l', label: 'Large', vcpus: 4, memoryMb: 8192, diskGb: 80 },
];

/** What the quota leaves of each dimension (Infinity where there is no limit). */
interface Left {
  vms: number;
  vcpus: number;
  memoryMb: number;
  diskGb: number;
}

function leftOf(quota: QuotaLimits | null | undefined, used: { vms: number; vcpus: number; memoryMb: number; diskGb: number } | undefined): Left | undefined {
  if (!quota || !used) return undefined;
  const left = (limit: number | null | undefined, n: number) => (limit == null ? Infinity : Math.max(0, limit - n));
  return { vms: left(quota.maxVms, used.vms), vcpus: left(quota.maxVcpus, used.vcpus), memoryMb: left(quota.maxMemoryMb, used.memoryMb), diskGb: left(quota.maxDiskGb, used.diskGb) };
}

/** Why the quota does not allow a size ("only 1 GiB memory left"), or undefined when it does. */
function overQuota(size: { vcpus: number; memoryMb: number; diskGb: number }, left: Left | undefined): string | undefined {
  if (!left) return undefined;
  if (left.vms < 1) return 'Over your quota: no VM left';
  const short = [
    size.vcpus > left.vcpus && vcpuText(left.vcpus),
    size.memoryMb > left.memoryMb && `${mib(left.memoryMb)} memory`,
    size.diskGb > left.diskGb && `${left.diskGb} GiB disk`,
  ].filter(Boolean);
  return short.length ? `Over your quota: only ${short.join(', ')} left` : undefined;
}

const FIELDS = ['name', 'imageId', 'hostId', 'vcpus', 'memoryMb', 'diskGb', 'description', 'guest.hostname', 'guest.username', 'guest.password', 'guest.sshKeys', 'guest.timezone', 'guest.firstBootScript', 'guest'];

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
}

export default function VmCreate() {
  const session = useSession();
  const [params] = useSearchParams<{ image?: string }>();
  const options = createQuery(CreateVmOptionsDocument, () => ({ withHosts: session.can('Host_Manage') }));

  const [name, setName] = createSignal('');
  const [imageId, setImageId] = createSignal(params.image ?? '');
  const [preset, setPreset] = createSignal('s');
  const [vcpus, setVcpus] = createSignal('1');
  const [memoryMb, setMemoryMb] = createSignal('2048');
  const [diskGb, setDiskGb] = createSignal('20');
  const [hostId, setHostId] = createSignal('');
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [sshKeys, setSshKeys] = createSignal('');
  const [hostname, setHostname] = createSignal('');
  const [timezone, setTimezone] = createSignal(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [script, setScript] = createSignal('');
  const [fullCopy, setFullCopy] = createSignal(false);
  const [description, setDescription] = createSignal('');

  const form = createSubmit(FIELDS);
  const [created, setCreated] = createSignal<{ vmId: string; vmName: string; task: Task }>();
  const [taskNow, setTaskNow] = createSignal<Task>();

  // Images made ready, shared or deleted while the form is open come and go from the list.
  const catalog = createLiveList(() => options.data()?.images.edges.map((e) => e.node), { order: imageOrder, limit: 50 });
  createSubscription(ImagesUpdatedDocument, () => ({}), ({ imagesUpdated: change }) => (change.image?.status === 'READY' ? catalog.put(change.image) : catalog.remove(change.id)));
  const images = () => catalog.items;
  const image = createMemo(() => images().find((i) => i.id === imageId()));
  const hosts = () => options.data()?.hosts ?? [];

  // The first image is chosen until the user picks one (a blank disk is a choice too) or came
  // with one (an image's Deploy); its default user fills the field.
  const [imageChosen, setImageChosen] = createSignal(params.image !== undefined);
  const chooseImage = (id: string) => {
    setImageChosen(true);
    setImageId(id);
  };
  createEffect(() => {
    if (!imageChosen() && !imageId() && images().length) setImageId(images()[0].id);
  });
  createEffect(() => {
    const img = image();
    if (img && !username()) setUsername(img.defaultUser ?? '');
  });

  const left = createMemo(() => leftOf(options.data()?.me?.quota, options.data()?.me?.quotaUsage));
  const refusal = (p: Preset) => overQuota(p, left());
  // The size offered first is one the quota allows; nothing is chosen for the user that would be refused.
  const [presetChosen, setPresetChosen] = createSignal(false);
  const applyPreset = (p: Preset) => {
    setPreset(p.id);
    setVcpus(String(p.vcpus));
    setMemoryMb(String(p.memoryMb));
    setDiskGb(String(p.diskGb));
  };
  createEffect(() => {
    if (presetChosen() || !left()) return;
    const allowed = PREFERRED.map((id) => PRESETS.find((p) => p.id === id)!).find((p) => !refusal(p));
    if (allowed) applyPreset(allowed);
    else setPreset('custom');
  });
  const choosePreset = (p: Preset | 'custom') => {
    setPresetChosen(true);
    if (p === 'custom') return setPreset('custom');
    applyPreset(p);
  };

  const minDisk = () => {
    const img = image();
    if (!img) return 1;
    return Math.max(img.minDiskGb ?? 1, Math.ceil((img.virtualSizeBytes ?? 0) / 1024 ** 3));
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (form.busy()) return;
    const keys = sshKeys()
      .split('\n')
      .map((k) => k.trim())
      .filter(Boolean);
    const withImage = Boolean(imageId());
    const input: CreateVmInput = {
      name: name().trim(),
      vcpus: Number(vcpus()),
      memoryMb: Number(memoryMb()),
      diskGb: Number(diskGb()),
      description: description().trim() || undefined,
      imageId: imageId() || undefined,
      hostId: hostId() || undefined,
      guest: withImage
        ? {
            hostname: hostname().trim() || undefined,
            username: username().trim() || undefined,
            password: password() || undefined,
            sshKeys: keys.length ? keys : undefined,
            timezone: timezone().trim() || undefined,
            firstBootScript: script().trim() ? script() : undefined,
            fullCopy: fullCopy() || undefined,
          }
        : undefined,
    };
    const local: FieldMessages = {};
    if (!input.name) local.name = 'Give the VM a name';
    if (withImage && !input.guest?.password && !input.guest?.sshKeys) local['guest.password'] = 'Give a password or an SSH key, or you cannot sign in to the VM';
    if (Object.keys(local).length) return form.invalid(local);
    void form.submit(
      async () => (await request(CreateVmDocument, { input })).createVm,
      (result) => {
        setPassword('');
        setCreated({ vmId: result.vm.id, vmName: result.vm.name, task: result.task });
      },
      {
        // The quota refusal names every dimension over: one line by the button. A chosen host without room: under the host.
        adjust: (error, split) => (error.__typename === 'NoCapacityError' && hostId() ? { fields: { hostId: error.message } } : split),
      },
    );
  };

  const err = (field: string) => form.errors()[field];

  return (
    <section>
      <PageHeader title="Create a virtual machine" back={{ href: '/vms', label: 'Virtual machines' }} />
      <Show
        when={created()}
        fallback={
          <form class="card form-grid" onSubmit={submit} novalidate aria-label="Create a virtual machine">
            <fieldset>
              <legend>Basics</legend>
              <Field id="vm-name" label="Name" value={name()} onInput={setName} error={err('name')} required />
              <Select id="vm-image" label="Image" value={imageId()} onChange={chooseImage} error={err('imageId')} hint={image() ? `${image()!.cloudInit ? 'Configured by cloud-init' : 'No cloud-init: guest settings are not applied'} · ${bytes(image()!.virtualSizeBytes)}` : 'A blank disk: install an OS yourself'}>
                <For each={images()}>
                  {(img) => (
                    // The list arrives after the select took its value: each option says whether it is the one.
                    <option value={img.id} selected={img.id === imageId()}>
                      {img.name}
                      {img.osFamily ? ` (${img.osFamily}${img.osVersion ? ` ${img.osVersion}` : ''})` : ''}
                    </option>
                  )}
                </For>
                <option value="" selected={!imageId()}>
                  No image (blank disk)
                </option>
              </Select>
              <TextArea id="vm-description" label="Description (optional)" value={description()} onInput={setDescription} rows={2} error={err('description')} />
            </fieldset>

            <fieldset>
              <legend>Size</legend>
              <div class="presets" role="radiogroup" aria-label="Size preset">
                <For each={PRESETS}>
                  {(p) => (
                    <label class="preset" classList={{ chosen: preset() === p.id, refused: !!refusal(p) }} data-preset={p.id}>
                      <input type="radio" name="preset" value={p.id} checked={preset() === p.id} disabled={!!refusal(p)} aria-describedby={refusal(p) ? `preset-${p.id}-refusal` : undefined} onChange={() => choosePreset(p)} />
                      <strong>{p.label}</strong>
                      <span class="muted small">
                        {vcpuText(p.vcpus)} · {mib(p.memoryMb)} · {p.diskGb} GiB
                      </span>
                      <Show when={refusal(p)}>
                        {(why) => (
                          <span class="field-error small" id={`preset-${p.id}-refusal`}>
                            {why()}
                          </span>
                        )}
                      </Show>
                    </label>
                  )}
                </For>
                <label class="preset" classList={{ chosen: preset() === 'custom' }} data-preset="custom">
                  <input type="radio" name="preset" value="custom" checked={preset() === 'custom'} onChange={() => choosePreset('custom')} />
                  <strong>Custom</strong>
                  <span class="muted small">Choose each</span>
                </label>
              </div>
              <div class="row3" hidden={preset() !== 'custom' && !err('vcpus') && !err('memoryMb') && !err('diskGb')}>
                <Field id="vm-vcpus" label="vCPUs" type="number" min={1} value={vcpus()} onInput={(v) => { setVcpus(v); choosePreset('custom'); }} error={err('vcpus')} />
                <Field id="vm-memory" label="Memory (MiB)" type="number" min={128} value={memoryMb()} onInput={(v) => { setMemoryMb(v); choosePreset('custom'); }} error={err('memoryMb')} />
                <Field id="vm-disk" label="Disk (GiB)" type="number" min={minDisk()} value={diskGb()} onInput={(v) => { setDiskGb(v); choosePreset('custom'); }} error={err('diskGb')} hint={image() ? `At least ${minDisk()} GiB for this image` : undefined} />
              </div>
              <Show when={(() => { const q = options.data()?.me?.quota; return q && Object.values(q).some((v) => v != null) ? q : undefined; })()}>
                {(q) => (
                  <p class="hint" data-testid="quota">
                    Your quota: {quotaText(q())}.
                    <Show when={options.data()?.me?.quotaUsage.vms ? left() : undefined}>
                      {(l) => <> Left now: {quotaText({ maxVcpus: finite(l().vcpus), maxMemoryMb: finite(l().memoryMb), maxDiskGb: finite(l().diskGb), maxVms: finite(l().vms) })}.</>}
                    </Show>
                  </p>
                )}
              </Show>
            </fieldset>

            <Show when={session.can('Host_Manage')}>
              <fieldset>
                <legend>Placement</legend>
                <Select id="vm-host" label="Host" value={hostId()} onChange={setHostId} error={err('hostId')}>
                  <option value="">Automatic (the host with the most free memory)</option>
                  <For each={hosts()}>
                    {(h) => (
                      <option value={h.id} disabled={h.status !== 'ONLINE'}>
                        {h.name} — {h.status.toLowerCase()}
                        {h.maintenance ? ', maintenance' : ''} · {h.allocation.vcpus}/{vcpuText(h.capabilities.cpus)}, {mib(h.allocation.memoryMb)}/{mib(h.capabilities.memoryMb)}
                      </option>
                    )}
                  </For>
                </Select>
              </fieldset>
            </Show>

            <Show when={imageId()}>
              <fieldset>
                <legend>Guest</legend>
                <div class="row2">
                  <Field id="vm-username" label="Login user" value={username()} onInput={setUsername} error={err('guest.username')} autocomplete="off" />
                  <Field id="vm-password" label="Password" type="password" value={password()} onInput={setPassword} error={err('guest.password')} autocomplete="new-password" hint="Stored only as a hash" />
                </div>
                <TextArea id="vm-ssh-keys" label="SSH public keys (one per line)" value={sshKeys()} onInput={setSshKeys} error={err('guest.sshKeys')} mono placeholder="ssh-ed25519 AAAA… you@laptop" />
                <div class="row2">
                  <Field id="vm-hostname" label="Hostname" value={hostname()} onInput={setHostname} error={err('guest.hostname')} placeholder="Made from the name" />
                  <div class="field">
                    <label for="vm-timezone">Time zone</label>
                    <input id="vm-timezone" list="timezones" value={timezone()} onInput={(e) => setTimezone(e.currentTarget.value)} aria-invalid={err('guest.timezone') ? 'true' : undefined} aria-describedby={err('guest.timezone') ? 'vm-timezone-error' : undefined} />
                    <datalist id="timezones">
                      <For each={timeZones()}>{(tz) => <option value={tz} />}</For>
                    </datalist>
                    <Show when={err('guest.timezone')}>
                      <p class="field-error" id="vm-timezone-error">
                        {err('guest.timezone')}
                      </p>
                    </Show>
                  </div>
                </div>
                <TextArea id="vm-script" label="First-boot script (optional)" value={script()} onInput={setScript} error={err('guest.firstBootScript')} rows={4} mono placeholder={'#!/bin/sh\napt-get update'} hint="Runs once, as root, on the first boot. Starts with #!" />
                <Checkbox id="vm-full-copy" label="Full copy of the image" checked={fullCopy()} onChange={setFullCopy} hint="Slower to make; independent of the cached image" />
                <Show when={err('guest')}>
                  <p class="field-error">{err('guest')}</p>
                </Show>
              </fieldset>
            </Show>

            <FormError message={form.error()} />
            <Alert message={options.error()} />
            <button type="submit" disabled={form.busy()}>
              {form.busy() ? 'Creating…' : 'Create VM'}
            </button>
          </form>
        }
      >
        {(c) => (
          <div class="card" aria-live="polite">
            <h2>
              Deploying {c().vmName}{' '}
              <Show when={taskNow()}>{(t) => <Badge state={t().status} busy={!isFinished(t())} />}</Show>
            </h2>
            <TaskCard task={c().task} open onChange={setTaskNow} />
            <Show when={taskNow()?.status === 'SUCCEEDED'}>
              <p class="notice" role="status">
                {c().vmName} is ready.
              </p>
            </Show>
            <div class="actions">
              <A class="button" href={`/vms/${encodeURIComponent(c().vmId)}`}>
                Open {c().vmName}
              </A>
              <button type="button" class="secondary" onClick={() => { setCreated(undefined); setTaskNow(undefined); setName(''); }}>
                Create another
              </button>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
