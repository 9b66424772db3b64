import { createSignal, For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { DomainType, NetworkKind } from '../gql/graphql.ts';
import { createQuery, createSubscription } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { ago, mib } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { guarded } from '../Layout.tsx';
import { Field, FormDialog, Select } from '../components/Field.tsx';
import { Alert, Badge, CapacityBar, CardActions, Listing, PageHeader } from '../components/ui.tsx';
import { memoryNote, vcpuNote } from '../lib/capacity.ts';

export const HostFieldsFragment = graphql(`
  fragment HostFields on Host {
    id name uri status statusMessage maintenance domainType domainTypeReason lastSeenAt
    capabilities { cpus memoryMb cpuModel arch nested libvirtVersion hypervisorVersion }
    allocation { vcpus memoryMb diskGb vms }
    capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }
    settings { cpuOvercommit memoryOvercommit concurrency diskPool imagePool vncListen network { kind name } }
    ipPools { id name cidr gateway rangeStart rangeEnd size used dns }
  }
`);

const HostsDocument = graphql(`
  query Hosts { hosts { ...HostFields } }
`);

export const HostUpdatedDocument = graphql(`
  subscription HostUpdated { hostUpdated { ...HostFields } }
`);

const AddHostDocument = graphql(`
  mutation AddHost($input: AddHostInput!) {
    addHost(input: $input) {
      __typename
      ... on Host { ...HostFields }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export const SetMaintenanceDocument = graphql(`
  mutation SetHostMaintenance($id: ID!, $maintenance: Boolean!) {
    updateHost(id: $id, input: { maintenance: $maintenance }) {
      __typename
      ... on Host { ...HostFields }
      ... on Error { message }
    }
  }
`);

export default guarded(['Host_View', 'Host_Manage'], HostList);

function HostList() {
  const session = useSession();
  const query = createQuery(HostsDocument, () => ({}));
  const [adding, setAdding] = createSignal(false);
  const action = createSubmit();
  createSubscription(HostUpdatedDocument, () => ({}), ({ hostUpdated }) =>
    query.mutate((d) => {
      if (!d) return d;
      const known = d.hosts.some((h) => h.id === hostUpdated.id);
      return { hosts: known ? d.hosts.map((h) => (h.id === hostUpdated.id ? hostUpdated : h)) : [...d.hosts, hostUpdated] };
    }),
  );

  // The host's new state arrives by hostUpdated.
  const setMaintenance = (id: string, maintenance: boolean) =>
    action.submit(async () => (await request(SetMaintenanceDocument, { id, maintenance })).updateHost, () => {}, { adjust: (e) => ({ fields: {}, general: e.message }) });

  return (
    <section>
      <PageHeader title="Hosts">
        <Show when={session.can('Host_Manage')}>
          <button type="button" onClick={() => setAdding(true)}>
            Add host
          </button>
        </Show>
      </PageHeader>
      <Alert message={action.error() ?? query.error()} />
      <Listing loaded={query.data()} what="hosts" count={query.data()?.hosts.length ?? 0} empty="No hosts yet. Add one by its libvirt URI.">
        <div class="grid2">
          <For each={query.data()!.hosts}>
            {(h) => (
              <article class="card" data-host-id={h.id}>
                <div class="section-head">
                  <h2>
                    <A href={`/hosts/${encodeURIComponent(h.id)}`}>{h.name}</A>
                  </h2>
                  <Badge state={h.maintenance ? 'MAINTENANCE' : h.status} />
                </div>
                <p class="muted small mono">{h.uri}</p>
                <Show when={h.statusMessage}>
                  <p class="muted">{h.statusMessage}</p>
                </Show>
                <CapacityBar label="vCPUs" used={h.allocation.vcpus} total={h.capacity.vcpus} unit="vCPUs" note={vcpuNote([h.capacity])} format={String} />
                <CapacityBar label="Memory" used={h.allocation.memoryMb} total={h.capacity.allocatableMemoryMb} note={memoryNote([h.capacity])} format={mib} />
                <p class="muted small">
                  {h.allocation.vms} VMs · {h.allocation.diskGb} GiB disk · {h.domainType.toLowerCase()} · seen {ago(h.lastSeenAt)}
                </p>
                <CardActions when={session.can('Host_Manage')}>
                  <button type="button" class="secondary small" onClick={() => void setMaintenance(h.id, !h.maintenance)}>
                    {h.maintenance ? 'End maintenance' : 'Start maintenance'}
                  </button>
                </CardActions>
              </article>
            )}
          </For>
        </div>
      </Listing>
      <Show when={adding()}>
        <AddHostDialog onClose={() => setAdding(false)} onAdded={() => { setAdding(false); void query.refetch(); }} />
      </Show>
    </section>
  );
}

function AddHostDialog(props: { onClose: () => void; onAdded: () => void }) {
  const [name, setName] = createSignal('');
  const [uri, setUri] = createSignal('qemu+ssh://root@host.example/system');
  const [domainType, setDomainType] = createSignal<'' | DomainType>('');
  const [networkKind, setNetworkKind] = createSignal<'' | NetworkKind | 'NONE'>('');
  const [networkName, setNetworkName] = createSignal('');
  const form = createSubmit(['name', 'uri', 'domainType', 'settings.network.name']);
  const submit = () =>
    form.submit(
      async () =>
        (
          await request(AddHostDocument, {
            input: {
              name: name(),
              uri: uri(),
              domainType: domainType() || undefined,
              settings: networkKind() === 'NONE' ? { network: null } : networkKind() ? { network: { kind: networkKind() as NetworkKind, name: networkName() } } : undefined,
            },
          })
        ).addHost,
      () => props.onAdded(),
      // Hangar could not connect: that is about the URI.
      { adjust: (e, split) => (e.__typename === 'HostConnectionError' ? { fields: { ...split.fields, uri: e.message } } : split) },
    );
  return (
    <FormDialog title="Add a host" onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit={form.busy() ? 'Connecting…' : 'Add host'} disabled={form.busy()}>
      <p class="hint">Hangar connects first: an unreachable URI is refused with the reason, and nothing is saved.</p>
      <Field id="host-name" label="Name" value={name()} onInput={setName} error={form.errors().name} />
      <Field id="host-uri" label="libvirt URI" value={uri()} onInput={setUri} error={form.errors().uri} hint="qemu:///system, qemu+ssh://root@host/system or qemu+tls://host/system" />
      <Select id="host-domain" label="Domain type" value={domainType()} onChange={(v) => setDomainType(v as DomainType | '')} error={form.errors().domainType}>
        <option value="">Probe (KVM only where a guest really runs)</option>
        <option value="KVM">KVM</option>
        <option value="QEMU">QEMU (TCG emulation)</option>
      </Select>
      <div class="row2">
        <Select id="host-net-kind" label="VM network" value={networkKind()} onChange={(v) => setNetworkKind(v as NetworkKind | '' | 'NONE')}>
          <option value="">Hangar's network (hangar) when the host has it</option>
          <option value="NETWORK">libvirt network</option>
          <option value="BRIDGE">Bridge</option>
          <option value="NONE">None: VMs get no network card</option>
        </Select>
        <Show when={networkKind() === 'NETWORK' || networkKind() === 'BRIDGE'}>
          <Field id="host-net-name" label="Network or bridge name" value={networkName()} onInput={setNetworkName} error={form.errors()['settings.network.name']} />
        </Show>
      </div>
    </FormDialog>
  );
}
