import { createEffect, createSignal, For, onCleanup, Show, untrack } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { VmListMetricsQuery, VmListQuery, VmState } from '../gql/graphql.ts';
import { createQuery, createSubscription } from '../lib/live.ts';
import { errorText, request } from '../lib/graphql.ts';
import { describeError, isTypedError } from '../lib/errors.ts';
import { bytes, mib, percent, vcpus } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Alert, Badge, Dialog, Empty, Loading, LoadMore, Notice, PageHeader, vmStateLabel } from '../components/ui.tsx';
import { CreateVmLink } from '../vm/CreateVmLink.tsx';
import { allows, mayActOn, POWER, runPowerAction, seesEveryVm, type PowerAction } from '../vm/power.ts';

const VmListDocument = graphql(`
  query VmList($filter: VmFilter, $after: String) {
    vms(filter: $filter, first: 20, after: $after) {
      edges { node { ...VmSummary actions { action allowed reason } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

// A changed VM arrives with the actions its new state allows.
const VmListUpdatedDocument = graphql(`
  subscription VmListUpdated { vmsUpdated { ...VmSummary actions { action allowed reason } } }
`);

// The rows' use now, read after each load and every few seconds (the samples of the VMs shown, one
// query; apart from the list, whose page of 20 would pass the query cost limit with them).
const VmListMetricsDocument = graphql(`
  query VmListMetrics($ids: [ID!]!) { nodes(ids: $ids) { ... on Vm { id latestMetrics { at cpuPercent memoryUsedBytes } } } }
`);
const METRICS_REFRESH_MS = 5_000;

/** The power actions in the order a row's menu lists them. */
const ROW_ACTIONS: PowerAction[] = ['start', 'shutdown', 'reboot', 'suspend', 'resume', 'stop', 'reset', 'delete'];

const STATES: VmState[] = ['RUNNING', 'STOPPED', 'CREATING', 'STARTING', 'REBOOTING', 'STOPPING', 'MIGRATING', 'PAUSED', 'CRASHED', 'ERROR', 'DELETING', 'UNKNOWN'];

type Usage = Extract<VmListMetricsQuery['nodes'][number], { latestMetrics?: unknown }>['latestMetrics'];
type Vm = VmListQuery['vms']['edges'][number]['node'] & { latestMetrics?: Usage };

export default function VmList() {
  const session = useSession();
  const [params, setParams] = useSearchParams<{ q?: string; state?: string; mine?: string; tag?: string }>();
  const [search, setSearch] = createSignal(params.q ?? '');
  const [vms, setVms] = createSignal<Vm[]>([]);
  const [selected, setSelected] = createSignal<Set<string>>(new Set());
  const [bulkMessage, setBulkMessage] = createSignal<string>();
  const [bulkErrors, setBulkErrors] = createSignal<string[]>([]);
  const [confirmBulk, setConfirmBulk] = createSignal<PowerAction>();
  const [busy, setBusy] = createSignal(false);

  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const onSearch = (value: string) => {
    setSearch(value);
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => setParams({ q: value || undefined }, { replace: true }), 250);
  };

  const state = () => (params.state as VmState | undefined) || undefined;
  const mineOnly = () => params.mine === '1';
  const filter = () => ({
    search: params.q || undefined,
    state: state(),
    ownerId: mineOnly() ? session.me().id : undefined,
    tag: params.tag || undefined,
  });

  const query = createQuery(VmListDocument, () => ({ filter: filter() }));
  const [page, setPage] = createSignal<{ hasNextPage: boolean; endCursor?: string | null }>();
  createEffect(() => {
    const data = query.data();
    if (!data) return;
    setVms(data.vms.edges.map((e) => e.node));
    setPage(data.vms.pageInfo);
    // Untracked: it reads the rows, which it then sets.
    untrack(() => void refreshMetrics());
  });
  const loadMore = async () => {
    const data = await request(VmListDocument, { filter: filter(), after: page()?.endCursor ?? undefined });
    setVms((list) => [...list, ...data.vms.edges.map((e) => e.node).filter((n) => !list.some((v) => v.id === n.id))]);
    setPage(data.vms.pageInfo);
    void refreshMetrics();
  };

  /** The same test the server's filter makes, for VMs that arrive by subscription. */
  const matches = (vm: Vm) => {
    const f = filter();
    if (vm.state === 'DELETED') return false;
    if (f.search && !vm.name.toLowerCase().includes(f.search.toLowerCase())) return false;
    if (f.state && vm.state !== f.state) return false;
    if (f.ownerId && vm.owner?.id !== f.ownerId) return false;
    if (f.tag && !vm.tags.includes(f.tag)) return false;
    return true;
  };

  createSubscription(VmListUpdatedDocument, () => ({}), ({ vmsUpdated: changed }) => {
    setVms((list) => {
      const at = list.findIndex((v) => v.id === changed.id);
      const vm: Vm = { ...changed, latestMetrics: changed.state === 'RUNNING' && at !== -1 ? list[at].latestMetrics : null };
      if (!matches(vm)) return at === -1 ? list : list.filter((v) => v.id !== vm.id);
      if (at === -1) return [vm, ...list];
      const next = list.slice();
      next[at] = vm;
      return next;
    });
  });

  const refreshMetrics = async () => {
    const ids = vms().map((v) => v.id);
    if (!ids.length || document.hidden) return;
    try {
      const { nodes } = await request(VmListMetricsDocument, { ids });
      const latest = new Map(nodes.flatMap((n) => (n && 'latestMetrics' in n ? [[n.id, n.latestMetrics] as const] : [])));
      setVms((list) => list.map((v) => (latest.has(v.id) ? { ...v, latestMetrics: latest.get(v.id) ?? null } : v)));
    } catch {
      // The next round tries again; the rows keep what they showed.
    }
  };
  const metricsTimer = setInterval(() => void refreshMetrics(), METRICS_REFRESH_MS);
  onCleanup(() => clearInterval(metricsTimer));

  // One VM's action from its row's menu: asked first when it can lose data.
  const [confirmRow, setConfirmRow] = createSignal<{ vm: Vm; action: PowerAction }>();
  const runRow = async (vm: Vm, action: PowerAction) => {
    setConfirmRow(undefined);
    setBulkErrors([]);
    setBulkMessage(undefined);
    try {
      const result = await runPowerAction(action, vm.id);
      if (isTypedError(result)) setBulkErrors([`${vm.name}: ${describeError(result)}`]);
      else setBulkMessage(`${POWER[action].label}: asked for ${vm.name}. Its state below follows live.`);
    } catch (e) {
      setBulkErrors([`${vm.name}: ${errorText(e)}`]);
    }
  };
  const askRow = (vm: Vm, action: PowerAction) => (POWER[action].confirm ? setConfirmRow({ vm, action }) : void runRow(vm, action));

  const visibleIds = () => new Set(vms().map((v) => v.id));
  // Only VMs the viewer may act on can be chosen (seeing others' VMs is not acting on them).
  const chosen = () => vms().filter((v) => selected().has(v.id) && mayActOn(session, v));
  const toggle = (id: string, on: boolean) => {
    const next = new Set([...selected()].filter((s) => visibleIds().has(s)));
    if (on) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const actionable = () => vms().filter((v) => mayActOn(session, v));
  const allChosen = () => actionable().length > 0 && actionable().every((v) => selected().has(v.id));

  // Each chosen VM is asked; the server refuses those whose state does not allow the action
  // (a ConflictError with the reason), which count as skipped, not as failures.
  const runBulk = async (action: PowerAction) => {
    setConfirmBulk(undefined);
    const targets = chosen();
    setBusy(true);
    setBulkErrors([]);
    setBulkMessage(undefined);
    const errors: string[] = [];
    const skipped: string[] = [];
    await Promise.all(
      targets.map(async (vm) => {
        try {
          const result = await runPowerAction(action, vm.id);
          if (result.__typename === 'ConflictError') skipped.push(`${vm.name}: ${result.message}`);
          else if (isTypedError(result)) errors.push(`${vm.name}: ${describeError(result)}`);
        } catch (e) {
          errors.push(`${vm.name}: ${errorText(e)}`);
        }
      }),
    );
    setBusy(false);
    setBulkErrors(errors);
    const done = targets.length - errors.length - skipped.length;
    setBulkMessage(
      `${POWER[action].label}: asked for ${done} VM${done === 1 ? '' : 's'}` +
        (skipped.length ? `; ${skipped.length} skipped (${skipped.join('; ')})` : '') +
        '. States below follow live.',
    );
  };

  const askBulk = (action: PowerAction) => (POWER[action].confirm ? setConfirmBulk(action) : void runBulk(action));

  return (
    <section aria-labelledby="page-title">
      <PageHeader title="Virtual machines">
        <CreateVmLink />
      </PageHeader>

      <div class="toolbar" role="search">
        <div class="field inline">
          <label for="vm-search">Search</label>
          <input id="vm-search" type="search" placeholder="Name contains…" value={search()} onInput={(e) => onSearch(e.currentTarget.value)} />
        </div>
        <div class="field inline">
          <label for="vm-state">State</label>
          <select id="vm-state" value={state() ?? ''} onChange={(e) => setParams({ state: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="">Any</option>
            <For each={STATES}>{(s) => <option value={s}>{vmStateLabel(s)}</option>}</For>
          </select>
        </div>
        <div class="field inline">
          <label for="vm-tag">Tag</label>
          <input id="vm-tag" type="search" placeholder="e.g. web" value={params.tag ?? ''} onChange={(e) => setParams({ tag: e.currentTarget.value.trim().toLowerCase() || undefined }, { replace: true })} />
        </div>
        <Show when={seesEveryVm(session)}>
          <div class="checkbox">
            <input id="vm-mine" type="checkbox" checked={mineOnly()} onChange={(e) => setParams({ mine: e.currentTarget.checked ? '1' : undefined }, { replace: true })} />
            <label for="vm-mine">Only mine</label>
          </div>
        </Show>
      </div>

      <Show when={session.can('VM_PowerMgmt')}>
        <div class="bulkbar" aria-live="polite">
          <span class="muted">{chosen().length} selected</span>
          <button type="button" disabled={busy() || chosen().length === 0} onClick={() => askBulk('start')}>
            Start
          </button>
          <button type="button" class="secondary" disabled={busy() || chosen().length === 0} onClick={() => askBulk('shutdown')}>
            Shut down
          </button>
          <button type="button" class="danger" disabled={busy() || chosen().length === 0} onClick={() => askBulk('stop')}>
            Power off
          </button>
        </div>
      </Show>
      <Notice message={bulkMessage()} />
      <Show when={bulkErrors().length}>
        <ul class="form-error" role="alert">
          <For each={bulkErrors()}>{(e) => <li>{e}</li>}</For>
        </ul>
      </Show>

      <Alert message={query.error()} />
      <Show when={query.data() || !query.loading()} fallback={<Loading what="virtual machines" />}>
        <Show
          when={vms().length > 0}
          fallback={<Empty>{params.q || state() || params.tag ? 'No VM matches these filters.' : 'No virtual machines yet.'}</Empty>}
        >
          <table class="table vm-table" aria-label="Virtual machines">
            <thead>
              <tr>
                <Show when={session.can('VM_PowerMgmt')}>
                  <th class="select">
                    <input
                      type="checkbox"
                      aria-label="Select all"
                      checked={allChosen()}
                      onChange={(e) => setSelected(e.currentTarget.checked ? new Set(actionable().map((v) => v.id)) : new Set<string>())}
                    />
                  </th>
                </Show>
                <th>Name</th>
                <th>State</th>
                <th title="Use now where the collector has a recent sample; otherwise the vCPUs the VM is given">CPU</th>
                <th title="Use now where the guest reports it; otherwise the memory the VM is given">Memory</th>
                <th>Disk</th>
                <th>Address</th>
                <th>Image</th>
                <Show when={session.can('Host_View')}>
                  <th>Host</th>
                </Show>
                <Show when={seesEveryVm(session)}>
                  <th>Owner</th>
                </Show>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={vms()}>
                {(vm) => (
                  <tr data-vm-id={vm.id}>
                    <Show when={session.can('VM_PowerMgmt')}>
                      <td class="select">
                        <Show when={mayActOn(session, vm)}>
                          <input type="checkbox" aria-label={`Select ${vm.name}`} checked={selected().has(vm.id)} onChange={(e) => toggle(vm.id, e.currentTarget.checked)} />
                        </Show>
                      </td>
                    </Show>
                    <td data-label="Name">
                      <A href={`/vms/${encodeURIComponent(vm.id)}`}>{vm.name}</A>
                      <Show when={vm.tags.length}>
                        <span class="tags" data-testid="vm-row-tags">
                          <For each={vm.tags}>{(tag) => <A class="tag" href={`/vms?tag=${encodeURIComponent(tag)}`}>{tag}</A>}</For>
                        </span>
                      </Show>
                    </td>
                    <td data-label="State">
                      <Badge state={vm.state} />
                      <Show when={vm.stateMessage && vm.state !== 'RUNNING'}>
                        <span class="muted small"> {vm.stateMessage}</span>
                      </Show>
                    </td>
                    <td data-label="CPU" data-testid="vm-cpu">
                      {/* One element: on a phone the cell is a grid of label and value. */}
                      <span>
                        <Show when={vm.latestMetrics?.cpuPercent != null} fallback={<>{vcpus(vm.vcpus)} <span class="muted small">allocated</span></>}>
                          {percent(vm.latestMetrics!.cpuPercent, 1)} <span class="muted small">of {vcpus(vm.vcpus)}</span>
                        </Show>
                      </span>
                    </td>
                    <td data-label="Memory" data-testid="vm-memory">
                      <span>
                        <Show when={vm.latestMetrics?.memoryUsedBytes != null} fallback={<>{mib(vm.memoryMb)} <span class="muted small">allocated</span></>}>
                          {bytes(vm.latestMetrics!.memoryUsedBytes)} <span class="muted small">of {mib(vm.memoryMb)}</span>
                        </Show>
                      </span>
                    </td>
                    <td data-label="Disk">{vm.diskGb} GiB</td>
                    <td data-label="Address" class="mono">
                      {vm.ipAddress ?? '—'}
                    </td>
                    <td data-label="Image">{vm.image?.name ?? '—'}</td>
                    <Show when={session.can('Host_View')}>
                      <td data-label="Host">{vm.host?.name ?? '—'}</td>
                    </Show>
                    <Show when={seesEveryVm(session)}>
                      <td data-label="Owner">{vm.owner?.name ?? '—'}</td>
                    </Show>
                    <td class="row-actions">
                      <Show when={mayActOn(session, vm)}>
                        <RowMenu vm={vm} onChoose={(action) => askRow(vm, action)} />
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <LoadMore when={page()?.hasNextPage} label="Show more" load={loadMore} />
        </Show>
      </Show>

      <Show when={confirmRow()}>
        {(row) => (
          <Dialog title={`${POWER[row().action].label} ${row().vm.name}?`} onClose={() => setConfirmRow(undefined)}>
            <p>{POWER[row().action].confirm}</p>
            <div class="dialog-actions">
              <button type="button" class="secondary" onClick={() => setConfirmRow(undefined)}>
                Cancel
              </button>
              <button type="button" class="danger" onClick={() => void runRow(row().vm, row().action)}>
                {POWER[row().action].label}
              </button>
            </div>
          </Dialog>
        )}
      </Show>

      <Show when={confirmBulk()}>
        {(action) => (
          <Dialog title={`${POWER[action()].label} ${chosen().length} VMs?`} onClose={() => setConfirmBulk(undefined)}>
            <p>{POWER[action()].confirm}</p>
            <ul>
              <For each={chosen()}>{(v) => <li>{v.name}</li>}</For>
            </ul>
            <div class="dialog-actions">
              <button type="button" class="secondary" onClick={() => setConfirmBulk(undefined)}>
                Cancel
              </button>
              <button type="button" class="danger" onClick={() => void runBulk(action())}>
                {POWER[action()].label}
              </button>
            </div>
          </Dialog>
        )}
      </Show>
    </section>
  );
}

/** A row's menu: the actions the server allows on the VM now (Vm.actions), nothing else. */
function RowMenu(props: { vm: Vm; onChoose: (action: PowerAction) => void }) {
  let menu!: HTMLDetailsElement;
  const offered = () => ROW_ACTIONS.filter((a) => allows(props.vm, a));
  // A click elsewhere closes it, as a menu does.
  const outside = (e: MouseEvent) => menu.open && !menu.contains(e.target as Node) && (menu.open = false);
  document.addEventListener('click', outside);
  onCleanup(() => document.removeEventListener('click', outside));
  return (
    <Show when={offered().length}>
      <details class="row-menu" ref={menu}>
        <summary aria-label={`Actions for ${props.vm.name}`} title="Actions">
          ⋯
        </summary>
        <div class="row-menu-items" role="menu">
          <For each={offered()}>
            {(action) => (
              <button
                type="button"
                role="menuitem"
                class={POWER[action].danger ? 'small danger' : 'small secondary'}
                onClick={() => {
                  menu.open = false;
                  props.onChoose(action);
                }}
              >
                {POWER[action].label}
              </button>
            )}
          </For>
        </div>
      </details>
    </Show>
  );
}
