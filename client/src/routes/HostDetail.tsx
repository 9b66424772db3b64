import { createSignal, For, lazy, Show, Suspense } from 'solid-js';
import { A, useNavigate, useParams } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { HostDetailQuery, HostFieldsFragment } from '../gql/graphql.ts';
import { createQuery, createSubscription, debounce } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { ago, mib, vcpus, when } from '../lib/format.ts';
import { memoryNote, vcpuNote } from '../lib/capacity.ts';
import { useSession } from '../lib/session.ts';
import { guarded } from '../Layout.tsx';
import { Field, FormDialog, FormError } from '../components/Field.tsx';
import { Alert, Badge, CapacityBar, Dialog, DialogActions, Empty, Loading, PageHeader, Table } from '../components/ui.tsx';
import { HostUpdatedDocument, SetMaintenanceDocument } from './Hosts.tsx';
import { VmsUpdatedDocument } from '../vm/documents.ts';
import { HostSettingsDialog } from '../host/HostSettingsDialog.tsx';
import { MaintenanceDialog } from '../host/MaintenanceDialog.tsx';
import { TaskCard } from '../vm/TaskLive.tsx';

// The charts (uPlot) load with the host's page, not with the first page load.
const HostMetrics = lazy(() => import('./HostMetrics.tsx'));

const HostDetailDocument = graphql(`
  query HostDetail($id: ID!) {
    node(id: $id) { ... on Host { ...HostFields createdAt libvirtNetworks lastDrain { ...TaskFields } } }
    vms(filter: { hostId: $id }, first: 25) { edges { node { id name state vcpus memoryMb diskGb owner { id name } } } pageInfo { hasNextPage } }
  }
`);

const RefreshHostDocument = graphql(`
  mutation RefreshHost($id: ID!) { refreshHost(id: $id) { __typename ... on Host { ...HostFields } ... on Error { message } } }
`);
const RemoveHostDocument = graphql(`
  mutation RemoveHost($id: ID!) { removeHost(id: $id) { __typename ... on Host { id } ... on Error { message } } }
`);
const CreateIpPoolDocument = graphql(`
  mutation CreateIpPool($input: CreateIpPoolInput!) {
    createIpPool(input: $input) {
      __typename
      ... on IpPool { id }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);
const DeleteIpPoolDocument = graphql(`
  mutation DeleteIpPool($id: ID!) { deleteIpPool(id: $id) { __typename ... on IpPool { id } ... on Error { message } } }
`);

export default guarded(['Host_View', 'Host_Manage'], HostView);

function HostView() {
  const params = useParams<{ id: string }>();
  // Global ids are base64 (with = and possibly /): links encode them, the router hands them on encoded.
  const id = () => decodeURIComponent(params.id);
  const session = useSession();
  const navigate = useNavigate();
  const query = createQuery(HostDetailDocument, () => ({ id: id() }));
  const action = createSubmit();
  const [dialog, setDialog] = createSignal<'pool' | 'remove' | 'settings' | 'maintenance'>();
  const refresh = debounce(() => void query.refetch(), 300);
  createSubscription(HostUpdatedDocument, () => ({}), ({ hostUpdated }) => hostUpdated.id === id() && refresh());
  createSubscription(VmsUpdatedDocument, () => ({}), ({ vmsUpdated }) => {
    if (vmsUpdated.host?.id === id() || vms().some((v) => v.id === vmsUpdated.id)) refresh();
  });

  const host = () => {
    const n = query.data()?.node;
    return n && 'uri' in n ? n : undefined;
  };
  const vms = (): HostDetailQuery['vms']['edges'][number]['node'][] => query.data()?.vms.edges.map((e) => e.node) ?? [];

  const act = <R extends { __typename: string }>(run: () => Promise<R>) => action.submit(run, () => void query.refetch());

  return (
    <Show when={host()} fallback={query.loading() ? <Loading what="the host" /> : <Empty>{query.error() ?? 'This host does not exist.'}</Empty>}>
      {(h) => (
        <section>
          <PageHeader title={h().name} back={{ href: '/hosts', label: 'Hosts' }}>
            <Badge state={h().maintenance ? 'MAINTENANCE' : h().status} />
            <Show when={session.can('Host_Manage')}>
              <button type="button" class="secondary" onClick={() => setDialog('settings')}>
                Edit settings
              </button>
              <button type="button" class="secondary" onClick={() => void act(async () => (await request(RefreshHostDocument, { id: h().id })).refreshHost)} title="Read its capabilities and status from libvirt now">
                Re-read from libvirt
              </button>
              <Show
                when={h().maintenance}
                fallback={
                  <button type="button" class="secondary" onClick={() => setDialog('maintenance')}>
                    Start maintenance
                  </button>
                }
              >
                <button type="button" class="secondary" onClick={() => void act(async () => (await request(SetMaintenanceDocument, { id: h().id, maintenance: false })).updateHost)}>
                  End maintenance
                </button>
              </Show>
              <button type="button" class="danger-outline" onClick={() => setDialog('remove')}>
                Remove
              </button>
            </Show>
          </PageHeader>
          <Alert message={action.error()} />
          <div class="grid2">
            <div class="card">
              <h2>Status</h2>
              <dl>
                <dt>URI</dt>
                <dd class="mono">{h().uri}</dd>
                <dt>Status</dt>
                <dd>
                  {h().status.toLowerCase()}
                  {h().statusMessage ? ` — ${h().statusMessage}` : ''}
                </dd>
                <dt>Last seen</dt>
                <dd>{ago(h().lastSeenAt)}</dd>
                <dt>Domain type</dt>
                <dd>
                  {h().domainType} <span class="muted">{h().domainTypeReason}</span>
                </dd>
                <dt>CPU</dt>
                <dd>
                  {h().capabilities.cpus} × {h().capabilities.cpuModel} ({h().capabilities.arch}){h().capabilities.nested ? ', itself a VM' : ''}
                </dd>
                <dt>Memory</dt>
                <dd>{mib(h().capabilities.memoryMb)}</dd>
                <dt>Versions</dt>
                <dd>
                  libvirt {h().capabilities.libvirtVersion}, hypervisor {h().capabilities.hypervisorVersion}
                </dd>
                <dt>Network</dt>
                <dd>{h().settings.network ? `${h().settings.network!.kind === 'NETWORK' ? 'libvirt network' : 'bridge'} ${h().settings.network!.name}` : 'none: new VMs get no network card'}</dd>
                <dt>Added</dt>
                <dd>{when(h().createdAt)}</dd>
              </dl>
            </div>
            <div class="card">
              <h2>Capacity</h2>
              <CapacityBar label="vCPUs" used={h().allocation.vcpus} total={h().capacity.vcpus} unit="vCPUs" note={vcpuNote([h().capacity])} format={String} />
              <CapacityBar label="Memory" used={h().allocation.memoryMb} total={h().capacity.allocatableMemoryMb} note={memoryNote([h().capacity])} format={mib} />
              <p class="muted small">
                Overcommit: CPU × {h().settings.cpuOvercommit}, memory × {h().settings.memoryOvercommit}. Disks given out: {h().allocation.diskGb} GiB. Runs {h().settings.concurrency} operations at once.
              </p>
              <div class="section-head">
                <h2>IP pools</h2>
                <Show when={session.can('Host_Manage')}>
                  <button type="button" class="small secondary" onClick={() => setDialog('pool')}>
                    Add pool
                  </button>
                </Show>
              </div>
              <Show when={h().ipPools.length} fallback={<p class="muted">{h().settings.network ? `No pool: VMs get addresses by DHCP on ${h().settings.network!.name}.` : 'No pool, and no network for VMs.'}</p>}>
                <ul class="plain">
                  <For each={h().ipPools}>
                    {(p) => (
                      <li>
                        <CapacityBar label={`${p.name} ${p.cidr} (${p.rangeStart}–${p.rangeEnd})`} used={p.used} total={p.size} format={String} />
                        <Show when={session.can('Host_Manage') && p.used === 0}>
                          <button type="button" class="small danger-outline" onClick={() => void act(async () => (await request(DeleteIpPoolDocument, { id: p.id })).deleteIpPool)}>
                            Delete pool {p.name}
                          </button>
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            </div>
          </div>
          {/* Keyed by the drain's id: the card follows its task live, and a newer drain replaces it. */}
          <Show when={h().lastDrain?.id} keyed>
            {(_drainId) => {
              const drain = h().lastDrain!;
              return (
                <section aria-label="Drain">
                  <h2>Drain</h2>
                  <TaskCard task={drain} open={drain.status === 'RUNNING' || drain.status === 'FAILED'} onChange={(t) => t.status !== drain.status && refresh()} />
                </section>
              );
            }}
          </Show>
          <h2>Load</h2>
          <Suspense fallback={<Loading what="the charts" />}>
            <HostMetrics hostId={h().id} />
          </Suspense>
          <h2>VMs on {h().name}</h2>
          <Show when={vms().length} fallback={<Empty>No VMs on this host.</Empty>}>
            <Table columns={['Name', 'State', 'Size', 'Owner']} each={vms()}>
              {(vm) => (
                <tr>
                  <td data-label="Name">
                    <A href={`/vms/${encodeURIComponent(vm.id)}`}>{vm.name}</A>
                  </td>
                  <td data-label="State">
                    <Badge state={vm.state} />
                  </td>
                  <td data-label="Size">
                    {vcpus(vm.vcpus)} · {mib(vm.memoryMb)} · {vm.diskGb} GiB
                  </td>
                  <td data-label="Owner">{vm.owner?.name ?? '—'}</td>
                </tr>
              )}
            </Table>
          </Show>
          <Show when={dialog() === 'settings'}>
            <HostSettingsDialog host={h() as HostFieldsFragment} networks={h().libvirtNetworks} onClose={() => setDialog(undefined)} onDone={() => { setDialog(undefined); void query.refetch(); }} />
          </Show>
          <Show when={dialog() === 'maintenance'}>
            <MaintenanceDialog host={h() as HostFieldsFragment} vmCount={vms().length} mayMigrate={session.can('VM_Migrate')} onClose={() => setDialog(undefined)} onDone={() => { setDialog(undefined); void query.refetch(); }} />
          </Show>
          <Show when={dialog() === 'pool'}>
            <IpPoolDialog hostId={h().id} onClose={() => setDialog(undefined)} onDone={() => { setDialog(undefined); void query.refetch(); }} />
          </Show>
          <Show when={dialog() === 'remove'}>
            <Dialog title={`Remove ${h().name}?`} onClose={() => setDialog(undefined)}>
              <p>Hangar forgets the host (nothing on it is touched). It refuses while the host has VMs.</p>
              <FormError message={action.error()} />
              <DialogActions onCancel={() => setDialog(undefined)}>
                <button type="button" class="danger" onClick={() => void action.submit(async () => (await request(RemoveHostDocument, { id: h().id })).removeHost, () => navigate('/hosts'))}>
                  Remove host
                </button>
              </DialogActions>
            </Dialog>
          </Show>
        </section>
      )}
    </Show>
  );
}

function IpPoolDialog(props: { hostId: string; onClose: () => void; onDone: () => void }) {
  const [v, setV] = createSignal({ name: '', cidr: '', gateway: '', dns: '', rangeStart: '', rangeEnd: '' });
  const form = createSubmit(['name', 'cidr', 'gateway', 'dns', 'rangeStart', 'rangeEnd']);
  const set = (k: keyof ReturnType<typeof v>) => (value: string) => setV({ ...v(), [k]: value });
  const submit = () => {
    const x = v();
    const input = { hostId: props.hostId, name: x.name, cidr: x.cidr, gateway: x.gateway || undefined, dns: x.dns ? x.dns.split(/[\s,]+/).filter(Boolean) : undefined, rangeStart: x.rangeStart, rangeEnd: x.rangeEnd };
    return form.submit(async () => (await request(CreateIpPoolDocument, { input })).createIpPool, () => props.onDone());
  };
  const errors = form.errors;
  return (
    <FormDialog title="Add an IP pool" onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Add pool">
      <Field id="pool-name" label="Name" value={v().name} onInput={set('name')} error={errors().name} />
      <div class="row2">
        <Field id="pool-cidr" label="Network (CIDR)" placeholder="10.20.0.0/24" value={v().cidr} onInput={set('cidr')} error={errors().cidr} />
        <Field id="pool-gateway" label="Gateway" placeholder="10.20.0.1" value={v().gateway} onInput={set('gateway')} error={errors().gateway} />
      </div>
      <div class="row2">
        <Field id="pool-start" label="First address" value={v().rangeStart} onInput={set('rangeStart')} error={errors().rangeStart} />
        <Field id="pool-end" label="Last address" value={v().rangeEnd} onInput={set('rangeEnd')} error={errors().rangeEnd} />
      </div>
      <Field id="pool-dns" label="DNS servers" placeholder="10.20.0.1, 1.1.1.1" value={v().dns} onInput={set('dns')} error={errors().dns} />
    </FormDialog>
  );
}
