import { createMemo, createSignal, For, lazy, Show, Suspense } from 'solid-js';
import { A } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { ClusterMetricsSubscription, VmState } from '../gql/graphql.ts';
import { createQuery, createSubscription, debounce } from '../lib/live.ts';
import { bytes, mib, percent, vcpus } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Alert, Badge, CapacityBar, Empty, PageHeader, Table } from '../components/ui.tsx';
import { memoryNote, vcpuNote } from '../lib/capacity.ts';
import { CreateVmLink } from '../vm/CreateVmLink.tsx';
import { FirstRunPath } from '../dashboard/FirstRun.tsx';
import { createLiveTasks, TaskCard } from '../vm/TaskLive.tsx';

// The cluster's charts (uPlot) load after the dashboard itself.
const ClusterMetrics = lazy(() => import('./ClusterMetrics.tsx'));

const DashboardDocument = graphql(`
  query Dashboard($withHosts: Boolean!) {
    vms(first: 100) { edges { node { id name state vcpus memoryMb diskGb } } pageInfo { hasNextPage } }
    hosts @include(if: $withHosts) {
      id name status maintenance
      allocation { vcpus memoryMb diskGb vms }
      capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }
    }
    tasks(first: 5) { edges { node { ...TaskFields } } }
  }
`);

const DashboardHostsDocument = graphql(`
  subscription DashboardHost { hostUpdated { id status maintenance allocation { vcpus memoryMb diskGb vms } } }
`);

const DashboardVmsDocument = graphql(`
  subscription DashboardVm { vmsUpdated { id state } }
`);

// Live totals from the collector; until its first sample the totals come from the lists above.
const ClusterMetricsDocument = graphql(`
  subscription ClusterMetrics {
    clusterMetrics {
      at hostsUp hostsTotal vmsByState { state count }
      vcpusAllocated memoryAllocatedBytes diskAllocatedBytes
      cpuPercent memoryUsedBytes memoryTotalBytes memoryAllocatableBytes vcpusTotal
      busiestVms { vmId at cpuPercent memoryUsedBytes netRxBytesPerSecond netTxBytesPerSecond diskReadBytesPerSecond diskWriteBytesPerSecond }
    }
  }
`);

type ClusterMetrics = ClusterMetricsSubscription['clusterMetrics'];

/** As many as the dashboard's query reads. */
const RECENT_TASKS = 5;

const STATE_ORDER: VmState[] = ['RUNNING', 'STOPPED', 'CREATING', 'STARTING', 'REBOOTING', 'STOPPING', 'MIGRATING', 'PAUSED', 'CRASHED', 'ERROR', 'UNKNOWN', 'DELETING'];

export function Dashboard() {
  const session = useSession();
  const withHosts = () => session.can('Host_View') || session.can('Host_Manage');
  const query = createQuery(DashboardDocument, () => ({ withHosts: withHosts() }));
  const [metrics, setMetrics] = createSignal<ClusterMetrics>();

  // VM and host changes may change the totals: read again, at most every half second.
  const refresh = debounce(() => void query.refetch(), 500);
  const recentTasks = createLiveTasks(() => query.data()?.tasks.edges.map((e) => e.node), { limit: RECENT_TASKS });
  createSubscription(DashboardVmsDocument, () => ({}), refresh);
  createSubscription(DashboardHostsDocument, () => (withHosts() ? {} : false), refresh);
  const [metricsError, setMetricsError] = createSignal<string>();
  createSubscription(ClusterMetricsDocument, () => ({}), (d) => setMetrics(d.clusterMetrics), setMetricsError);

  const vms = () => query.data()?.vms.edges.map((e) => e.node) ?? [];
  const hosts = () => query.data()?.hosts ?? [];
  const byState = createMemo(() => {
    const m = metrics();
    if (m) return new Map(m.vmsByState.map((s) => [s.state, s.count]));
    const counts = new Map<VmState, number>();
    for (const vm of vms()) counts.set(vm.state, (counts.get(vm.state) ?? 0) + 1);
    return counts;
  });
  const totalVms = () => [...byState().values()].reduce((a, b) => a + b, 0);
  const hostsUp = () => metrics()?.hostsUp ?? hosts().filter((h) => h.status === 'ONLINE').length;
  const hostsTotal = () => metrics()?.hostsTotal ?? hosts().length;
  // Capacity counts the hosts that are up, as the live totals do; each host's from the server (Host.capacity).
  const upHosts = () => hosts().filter((h) => h.status === 'ONLINE' && !h.maintenance);
  const capacity = createMemo(() => {
    const hs = hosts();
    return {
      vcpus: upHosts().reduce((a, h) => a + h.capacity.vcpus, 0),
      memoryMb: upHosts().reduce((a, h) => a + h.capacity.allocatableMemoryMb, 0),
      usedVcpus: hs.reduce((a, h) => a + h.allocation.vcpus, 0),
      usedMemoryMb: hs.reduce((a, h) => a + h.allocation.memoryMb, 0),
      usedDiskGb: hs.reduce((a, h) => a + h.allocation.diskGb, 0),
    };
  });
  const mine = createMemo(() => ({
    vcpus: vms().reduce((a, v) => a + (v.state === 'DELETED' ? 0 : v.vcpus), 0),
    memoryMb: vms().reduce((a, v) => a + (v.state === 'DELETED' ? 0 : v.memoryMb), 0),
    diskGb: vms().reduce((a, v) => a + (v.state === 'DELETED' ? 0 : v.diskGb), 0),
  }));
  const vmName = (id: string) => vms().find((v) => v.id === id)?.name ?? id;

  return (
    <section>
      <PageHeader title="Dashboard">
        <CreateVmLink />
      </PageHeader>
      <Alert message={query.error() ?? (metricsError() && `Live totals: ${metricsError()}`)} />
      <FirstRunPath />

      <div class="tiles">
        <div class="card tile">
          <h2>Virtual machines</h2>
          <p class="big" data-testid="vm-total">
            {totalVms()}
          </p>
          <ul class="state-counts">
            <For each={STATE_ORDER.filter((s) => byState().get(s))}>
              {(s) => (
                <li>
                  <A href={`/vms?state=${s}`}>
                    <Badge state={s} /> {byState().get(s)}
                  </A>
                </li>
              )}
            </For>
          </ul>
        </div>
        <Show when={withHosts()}>
          <div class="card tile">
            <h2>Hosts</h2>
            <p class="big">
              {hostsUp()} <span class="muted">/ {hostsTotal()} up</span>
            </p>
            <Show when={metrics()?.cpuPercent != null}>
              <p class="muted">CPU used {percent(metrics()!.cpuPercent, 1)}</p>
            </Show>
            <Show when={metrics()?.memoryUsedBytes != null && metrics()?.memoryTotalBytes}>
              <p class="muted">
                Memory used {bytes(metrics()!.memoryUsedBytes)} of {bytes(metrics()!.memoryTotalBytes)}
              </p>
            </Show>
          </div>
          <div class="card tile wide">
            <h2>Allocated</h2>
            <CapacityBar
              label="vCPUs"
              used={metrics()?.vcpusAllocated ?? capacity().usedVcpus}
              total={metrics()?.vcpusTotal ?? capacity().vcpus}
              unit="vCPUs"
              note={vcpuNote(upHosts().map((h) => h.capacity))}
              format={(v) => String(v)}
            />
            <CapacityBar
              label="Memory"
              used={metrics() ? metrics()!.memoryAllocatedBytes / 1024 ** 2 : capacity().usedMemoryMb}
              total={metrics()?.memoryAllocatableBytes != null ? metrics()!.memoryAllocatableBytes! / 1024 ** 2 : capacity().memoryMb}
              note={memoryNote(upHosts().map((h) => h.capacity))}
              format={mib}
            />
            <p class="muted small">Disk allocated: {metrics() ? bytes(metrics()!.diskAllocatedBytes) : `${capacity().usedDiskGb} GiB`}</p>
          </div>
        </Show>
        <Show when={!withHosts()}>
          <div class="card tile wide">
            <h2>Your allocation</h2>
            <p>
              {vcpus(mine().vcpus)} · {mib(mine().memoryMb)} memory · {mine().diskGb} GiB disk
            </p>
          </div>
        </Show>
      </div>

      <Show when={withHosts()}>
        <div class="card" aria-label="Cluster CPU and memory">
          <h2>Cluster CPU and memory</h2>
          <Suspense>
            <ClusterMetrics />
          </Suspense>
        </div>
      </Show>

      <div class="grid2">
        <div>
          <div class="section-head">
            <h2>Recent tasks</h2>
            <A href="/tasks">All tasks</A>
          </div>
          <Show when={recentTasks.items.length} fallback={<Empty>No tasks yet.</Empty>}>
            <For each={recentTasks.items}>{(task) => <TaskCard task={task} showVm followed />}</For>
          </Show>
        </div>
        <div>
          <h2>Busiest VMs</h2>
          <Show when={metrics()?.busiestVms.length} fallback={<Empty>{metrics() ? 'No VM is busy.' : 'Live VM metrics appear here once this Hangar collects them.'}</Empty>}>
            <Table columns={['VM', 'CPU', 'Memory', 'Network']} each={metrics()!.busiestVms}>
              {(s) => (
                <tr>
                  <td data-label="VM">
                    <A href={`/vms/${encodeURIComponent(s.vmId)}?tab=metrics`}>{vmName(s.vmId)}</A>
                  </td>
                  <td data-label="CPU">{percent(s.cpuPercent, 1)}</td>
                  <td data-label="Memory">{bytes(s.memoryUsedBytes)}</td>
                  <td data-label="Network">
                    ↓ {bytes(s.netRxBytesPerSecond)}/s ↑ {bytes(s.netTxBytesPerSecond)}/s
                  </td>
                </tr>
              )}
            </Table>
          </Show>
        </div>
      </div>
    </section>
  );
}
