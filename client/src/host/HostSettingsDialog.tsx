// Every setting of a host in one form: its name, domain type, what VM NICs attach to, overcommit,
// storage pools, concurrency and the VNC listen address. The server checks what it can on the host
// (the pools and the network exist) before saving; a refusal stands under its field.
import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { DomainType, HostFieldsFragment, NetworkKind } from '../gql/graphql.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { Field, FormDialog, Select } from '../components/Field.tsx';

const UpdateHostSettingsDocument = graphql(`
  mutation UpdateHostSettings($id: ID!, $input: UpdateHostInput!) {
    updateHost(id: $id, input: $input) {
      __typename
      ... on Host { ...HostFields }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const FIELDS = ['name', 'domainType', 'settings.network', 'settings.network.name', 'settings.cpuOvercommit', 'settings.memoryOvercommit', 'settings.concurrency', 'settings.diskPool', 'settings.imagePool', 'settings.vncListen'];

/** 'NETWORK:<name>' for a libvirt network, 'BRIDGE' for a bridge named beside it, '' for no NIC. */
type NicChoice = string;

export function HostSettingsDialog(props: { host: HostFieldsFragment; networks: string[]; onClose: () => void; onDone: () => void }) {
  const s = props.host.settings;
  const [name, setName] = createSignal(props.host.name);
  const [domainType, setDomainType] = createSignal<DomainType>(props.host.domainType);
  const [nic, setNic] = createSignal<NicChoice>(s.network ? (s.network.kind === 'NETWORK' ? `NETWORK:${s.network.name}` : 'BRIDGE') : '');
  const [bridge, setBridge] = createSignal(s.network?.kind === 'BRIDGE' ? s.network.name : '');
  const [cpu, setCpu] = createSignal(String(s.cpuOvercommit));
  const [memory, setMemory] = createSignal(String(s.memoryOvercommit));
  const [concurrency, setConcurrency] = createSignal(String(s.concurrency));
  const [diskPool, setDiskPool] = createSignal(s.diskPool);
  const [imagePool, setImagePool] = createSignal(s.imagePool);
  const [vncListen, setVncListen] = createSignal(s.vncListen);
  const form = createSubmit(FIELDS);
  const errors = form.errors;
  // The current network stays a choice even when the host does not list it now (stopped, or unreachable).
  const networks = () => [...new Set([...(s.network?.kind === 'NETWORK' ? [s.network.name] : []), ...props.networks])];

  const network = (): { kind: NetworkKind; name: string } | null => {
    if (nic() === 'BRIDGE') return { kind: 'BRIDGE', name: bridge() };
    if (nic().startsWith('NETWORK:')) return { kind: 'NETWORK', name: nic().slice('NETWORK:'.length) };
    return null;
  };
  const submit = () =>
    form.submit(
      async () =>
        (
          await request(UpdateHostSettingsDocument, {
            id: props.host.id,
            input: {
              name: name(),
              domainType: domainType(),
              settings: {
                network: network(),
                cpuOvercommit: Number(cpu()),
                memoryOvercommit: Number(memory()),
                concurrency: Number(concurrency()),
                diskPool: diskPool(),
                imagePool: imagePool(),
                vncListen: vncListen(),
              },
            },
          })
        ).updateHost,
      () => props.onDone(),
      // Hangar could not reach the host to check the pools or the network.
      { adjust: (e, split) => (e.__typename === 'HostConnectionError' ? { ...split, general: e.message } : split) },
    );

  return (
    <FormDialog title={`Settings of ${props.host.name}`} onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit={form.busy() ? 'Checking the host…' : 'Save settings'} disabled={form.busy()} wide>
      <div class="row2">
        <Field id="hs-name" label="Name" value={name()} onInput={setName} error={errors().name} />
        <Select id="hs-domain" label="Domain type" value={domainType()} onChange={(v) => setDomainType(v as DomainType)} error={errors().domainType}>
          <option value="KVM">KVM</option>
          <option value="QEMU">QEMU (TCG emulation)</option>
        </Select>
      </div>
      <div class="row2">
        <Select id="hs-network" label="VM network" value={nic()} onChange={setNic} error={errors()['settings.network']}>
          <For each={networks()}>{(n) => <option value={`NETWORK:${n}`}>libvirt network {n}</option>}</For>
          <option value="BRIDGE">A bridge of the host…</option>
          <option value="">None: new VMs get no network card</option>
        </Select>
        <Show when={nic() === 'BRIDGE'}>
          <Field id="hs-bridge" label="Bridge name" placeholder="br0" value={bridge()} onInput={setBridge} error={errors()['settings.network.name']} />
        </Show>
      </div>
      <p class="hint">The network applies to VMs made from now on; a VM keeps the network card it was made with.</p>
      <div class="row2">
        <Field id="hs-cpu" type="number" label="CPU overcommit" hint="vCPUs given out per CPU of the host" min={0.1} max={64} value={cpu()} onInput={setCpu} error={errors()['settings.cpuOvercommit']} />
        <Field id="hs-memory" type="number" label="Memory overcommit" hint="1 gives out exactly the host's memory" min={0.1} max={8} value={memory()} onInput={setMemory} error={errors()['settings.memoryOvercommit']} />
      </div>
      <div class="row2">
        <Field id="hs-disk-pool" label="Disk pool" hint="libvirt storage pool for VM disks (made when missing)" value={diskPool()} onInput={setDiskPool} error={errors()['settings.diskPool']} />
        <Field id="hs-image-pool" label="Image pool" hint="libvirt storage pool caching OS images" value={imagePool()} onInput={setImagePool} error={errors()['settings.imagePool']} />
      </div>
      <div class="row2">
        <Field id="hs-concurrency" type="number" label="Operations at once" min={1} max={64} value={concurrency()} onInput={setConcurrency} error={errors()['settings.concurrency']} />
        <Field id="hs-vnc" label="VNC listen address" hint="Where consoles listen on the host" value={vncListen()} onInput={setVncListen} error={errors()['settings.vncListen']} />
      </div>
    </FormDialog>
  );
}
