import { createEffect, createSignal, For, lazy, Match, on, onCleanup, Show, Suspense, Switch } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { A, useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { VmDetailQuery } from '../gql/graphql.ts';
import { createQuery, createSubscription } from '../lib/live.ts';
import { errorText } from '../lib/graphql.ts';
import { describeError, isTypedError } from '../lib/errors.ts';
import { mib, vcpus, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Badge, Dialog, Empty, Loading, PageHeader } from '../components/ui.tsx';
import { actionOf, allows, mayActOn, POWER, runPowerAction, type PowerAction } from '../vm/power.ts';
import { createLiveTasks, TaskCard, isFinished, type Task } from '../vm/TaskLive.tsx';
import type { ActionDialog } from '../vm/actions/types.ts';
import { VmDetailsDialog } from '../vm/VmDetailsDialog.tsx';
import { VmTransferDialog } from '../vm/VmTransferDialog.tsx';
import { VmCloneDialog } from '../vm/VmCloneDialog.tsx';

// The console (noVNC) and the charts (uPlot) are large: loaded when their tab opens.
const VmConsole = lazy(() => import('../vm/VmConsole.tsx'));
const VmMetrics = lazy(() => import('../vm/VmMetrics.tsx'));
const DisksTab = lazy(() => import('../vm/DisksTab.tsx'));
const BackupsTab = lazy(() => import('../vm/BackupsTab.tsx'));
const SnapshotsTab = lazy(() => import('../vm/SnapshotsTab.tsx'));
const VmHardware = lazy(() => import('../vm/VmHardware.tsx'));

graphql(`
  fragment VmDetailFields on Vm {
    ...VmSummary
    description
    isoPath
    network { kind name macAddress addressing pool addresses }
    guest { hostname username timezone sshKeys hasPassword fullCopy firstBootScript }
    image { id name osFamily osVersion }
    actions { action allowed reason }
  }
`);

const VmDetailDocument = graphql(`
  query VmDetail($id: ID!) {
    node(id: $id) { ... on Vm { ...VmDetailFields } }
    tasks(filter: { vmId: $id }, first: 10) { edges { node { ...TaskFields } } }
  }
`);

const VmUpdatedDocument = graphql(`
  subscription VmUpdated($id: ID!) { vmUpdated(id: $id) { ...VmDetailFields } }
`);

/** As many as the page's query reads. */
const VM_TASKS = 10;

type Vm = Extract<NonNullable<VmDetailQuery['node']>, { __typename?: 'Vm'; state: unknown }>;
type Tab = 'overview' | 'disks' | 'console' | 'metrics' | 'snapshots' | 'backups' | 'tasks';
/** The actions with a dialog of their own: one file each in vm/actions/, in their order. */
const TASK_DIALOGS: Record<string, ActionDialog> = Object.fromEntries(
  Object.values(import.meta.glob<{ default: ActionDialog }>('../vm/actions/*.tsx', { eager: true }))
    .map((m) => m.default)
    .sort((x, y) => x.order - y.order)
    .map((d) => [d.action, d]),
);
type TaskDialog = string;
type DialogName = PowerAction | TaskDialog | 'details' | 'transfer' | 'clone';

export default function VmDetail() {
  const params = useParams<{ id: string }>();
  // Global ids are base64 (with = and possibly /): links encode them, the router hands them on encoded.
  const id = () => decodeURIComponent(params.id);
  const [search, setSearch] = useSearchParams<{ tab?: string }>();
  const navigate = useNavigate();
  const session = useSession();
  const tab = (): Tab => (['overview', 'disks', 'console', 'metrics', 'snapshots', 'backups', 'tasks'].includes(search.tab ?? '') ? (search.tab as Tab) : 'overview');

  const query = createQuery(VmDetailDocument, () => ({ id: id() }));
  const [vm, setVm] = createSignal<Vm>();
  const [dialog, setDialog] = createSignal<DialogName>();
  const [actionError, setActionError] = createSignal<string>();
  const [actionNotice, setActionNotice] = createSignal<string>();
  const [busy, setBusy] = createSignal<PowerAction>();
  const [deleteName, setDeleteName] = createSignal('');

  createEffect(
    on(query.data, (data) => {
      if (!data) return;
      const node = data.node;
      setVm(node && 'state' in node ? (node as Vm) : undefined);
    }),
  );

  createSubscription(VmUpdatedDocument, () => ({ id: id() }), ({ vmUpdated }) => {
    setVm((current) => ({ ...(current ?? {}), ...vmUpdated }) as Vm);
    if (vmUpdated.state === 'DELETED') setActionNotice('This VM was deleted.');
  });

  // A running VM on DHCP whose address is not known yet: look again every few seconds until the lease shows.
  createEffect(() => {
    const v = vm();
    if (!v || v.state !== 'RUNNING' || v.network?.addressing !== 'DHCP' || v.network.addresses.length) return;
    const timer = setInterval(() => void query.refetch(), 5000);
    onCleanup(() => clearInterval(timer));
  });

  // The VM's tasks, wherever they were started (this page, another tab, the API), as they run.
  const tasks = createLiveTasks(() => query.data()?.tasks.edges.map((e) => e.node), { limit: VM_TASKS, matches: (task) => task.vm?.id === id() });
  const addTask = (task: Task) => tasks.put(task);
  const activeTasks = () => tasks.items.filter((t) => !isFinished(t));

  const mayAct = () => {
    const v = vm();
    return !!v && mayActOn(session, v);
  };
  // The server says what is allowed now (Vm.actions), and refuses the rest anyway.
  const can = (action: PowerAction) => {
    const v = vm();
    return !!v && allows(v, action);
  };

  const run = async (action: PowerAction) => {
    const v = vm();
    if (!v) return;
    setDialog(undefined);
    setBusy(action);
    setActionError(undefined);
    setActionNotice(undefined);
    try {
      const result = await runPowerAction(action, v.id);
      if (isTypedError(result)) {
        setActionError(`${POWER[action].label}: ${describeError(result)}`);
        return;
      }
      addTask(result.task);
      setVm((current) => ({ ...current!, state: result.vm.state, stateMessage: result.vm.stateMessage }));
      setActionNotice(`${POWER[action].label}: asked. The steps follow below.`);
      if (action === 'delete') setTimeout(() => navigate('/vms'), 1500);
    } catch (e) {
      setActionError(`${POWER[action].label}: ${errorText(e)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const ask = (action: PowerAction) => {
    if (POWER[action].confirm) {
      setDeleteName('');
      setDialog(action);
    } else void run(action);
  };

  const taskDialog = () => {
    const d = dialog();
    return d && d in TASK_DIALOGS ? (d as TaskDialog) : undefined;
  };

  const onTaskStarted = (task: Task, notice: string) => {
    setDialog(undefined);
    addTask(task);
    setActionError(undefined);
    setActionNotice(notice);
  };

  /** The one power action that stays out of the phone's actions menu: what a user most likely wants next. */
  const primary = () => (['start', 'resume', 'shutdown'] as PowerAction[]).find(can);
  const [menuOpen, setMenuOpen] = createSignal(false);
  let menuButton: HTMLButtonElement | undefined;
  // An open menu closes when the user taps anywhere else.
  createEffect(() => {
    if (!menuOpen()) return;
    const away = (e: PointerEvent) => !(e.target instanceof Element && e.target.closest('.vm-actions')) && setMenuOpen(false);
    document.addEventListener('pointerdown', away);
    onCleanup(() => document.removeEventListener('pointerdown', away));
  });
  const powerButton = (action: PowerAction) => (
    <button type="button" class={POWER[action].danger ? 'danger-outline' : action === 'start' ? '' : 'secondary'} disabled={!!busy()} onClick={() => ask(action)}>
      {busy() === action ? `${POWER[action].label}…` : POWER[action].label}
    </button>
  );

  const TABS: { id: Tab; label: string; show: () => boolean }[] = [
    { id: 'overview', label: 'Overview', show: () => true },
    { id: 'disks', label: 'Disks', show: () => true },
    { id: 'console', label: 'Console', show: () => session.can('VM_Console') && mayAct() },
    { id: 'metrics', label: 'Charts', show: () => true },
    { id: 'snapshots', label: 'Snapshots', show: () => true },
    { id: 'tasks', label: 'Tasks', show: () => true },
    { id: 'backups', label: 'Backups', show: () => true },
  ];

  return (
    <Show
      when={vm()}
      fallback={
        query.error() && !/not found/i.test(query.error()!) ? (
          <p class="form-error" role="alert">
            {query.error()}
          </p>
        ) : query.loading() && !query.error() ? (
          <Loading what="the VM" />
        ) : (
          <Empty>This VM does not exist or you may not see it.</Empty>
        )
      }
    >
      {(v) => (
        <section>
          <PageHeader title={v().name} back={{ href: '/vms', label: 'Virtual machines' }}>
            <Badge state={v().state} />
          </PageHeader>

          <div class="actionbar vm-actions" role="toolbar" aria-label="VM actions" onKeyDown={(e) => e.key === 'Escape' && menuOpen() && (setMenuOpen(false), menuButton?.focus())}>
            <Show when={primary()}>{(action) => powerButton(action())}</Show>
            {/* At phone width the rest fold into a menu (CSS); on wider screens they stand in the bar. */}
            <button
              type="button"
              class="secondary actions-toggle"
              ref={menuButton}
              aria-expanded={menuOpen()}
              aria-controls="vm-actions-menu"
              onClick={() => setMenuOpen(!menuOpen())}
            >
              Actions ▾
            </button>
            <div id="vm-actions-menu" class="actions-menu" classList={{ open: menuOpen() }} onClick={(e) => e.target instanceof HTMLButtonElement && setMenuOpen(false)}>
              <For each={['start', 'shutdown', 'reboot', 'stop', 'reset', 'suspend', 'resume'] as PowerAction[]}>
                {(action) => <Show when={can(action) && action !== primary()}>{powerButton(action)}</Show>}
              </For>
              <Show when={mayAct()}>
                <For each={Object.values(TASK_DIALOGS)}>
                  {(b) => {
                    const status = () => actionOf(v(), b.action);
                    return (
                      <button type="button" class={b.danger ? 'danger-outline' : 'secondary'} onClick={() => setDialog(b.action)} disabled={!status().allowed} title={status().reason ?? undefined}>
                        {b.label}
                      </button>
                    );
                  }}
                </For>
              </Show>
              <Show when={mayAct()}>
                <button type="button" class="secondary" onClick={() => setDialog('details')}>
                  Rename / details
                </button>
              </Show>
              <Show when={mayAct() && session.can('VM_Create')}>
                <button type="button" class="secondary" onClick={() => setDialog('clone')} disabled={!['RUNNING', 'STOPPED', 'PAUSED'].includes(v().state)} title="Running, stopped or paused VMs can be cloned">
                  Clone
                </button>
              </Show>
              <Show when={mayAct() && session.can('VM_Transfer')}>
                <button type="button" class="secondary" onClick={() => setDialog('transfer')}>
                  Transfer
                </button>
              </Show>
              <Show when={can('delete')}>
                <button type="button" class="danger" disabled={!!busy()} onClick={() => ask('delete')}>
                  Delete
                </button>
              </Show>
            </div>
          </div>
          <div aria-live="polite">
            <Show when={actionError()}>
              <p class="form-error" role="alert" data-testid="action-error">
                {actionError()}
              </p>
            </Show>
            <Show when={actionNotice()}>
              <p class="notice">{actionNotice()}</p>
            </Show>
          </div>

          <div
            class="tabs"
            role="tablist"
            aria-label="VM sections"
            onKeyDown={(e) => {
              // Arrow keys move between tabs, as the tabs pattern expects.
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
              const shown = TABS.filter((t) => t.show());
              const at = shown.findIndex((t) => t.id === tab());
              const next = shown[(at + (e.key === 'ArrowRight' ? 1 : shown.length - 1)) % shown.length];
              setSearch({ tab: next.id === 'overview' ? undefined : next.id }, { replace: true });
              document.getElementById(`tab-${next.id}`)?.focus();
            }}
          >
            <For each={TABS.filter((t) => t.show())}>
              {(t) => (
                <button type="button" role="tab" id={`tab-${t.id}`} aria-selected={tab() === t.id} tabindex={tab() === t.id ? 0 : -1} aria-controls="tab-panel" class="tab" onClick={() => setSearch({ tab: t.id === 'overview' ? undefined : t.id }, { replace: true })}>
                  {t.label}
                  <Show when={t.id === 'tasks' && activeTasks().length}> ({activeTasks().length} running)</Show>
                </button>
              )}
            </For>
          </div>

          <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab()}`}>
            <Switch>
              <Match when={tab() === 'overview'}>
                <div class="grid2">
                  <div class="card">
                    <h2>Overview</h2>
                    <dl>
                      <dt>State</dt>
                      <dd>
                        <Badge state={v().state} /> <Show when={v().stateMessage}><span class="muted">{v().stateMessage}</span></Show>
                      </dd>
                      <dt>Size</dt>
                      <dd>
                        {vcpus(v().vcpus)} · {mib(v().memoryMb)} memory · {v().diskGb} GiB disk
                      </dd>
                      <dt>Network</dt>
                      <dd data-testid="vm-network">
                        <Show when={v().network} fallback={<span class="muted">No network card: its host gave VMs no network when it was made</span>}>
                          {(nic) => (
                            <>
                              {nic().kind === 'NETWORK' ? 'Network' : 'Bridge'} <span class="mono">{nic().name}</span>
                              <span class="muted"> · MAC <span class="mono">{nic().macAddress ?? '—'}</span></span>
                            </>
                          )}
                        </Show>
                      </dd>
                      <Show when={v().network}>
                        {(nic) => (
                          <>
                            <dt>Address</dt>
                            <dd data-testid="vm-address">
                              <Show when={nic().addresses.length} fallback={<span class="muted">{nic().addressing === 'POOL' ? 'From pool' : v().state === 'RUNNING' ? 'By DHCP, not known yet' : 'By DHCP once running'}</span>}>
                                <span class="mono">{nic().addresses.join(', ')}</span>
                              </Show>
                              <span class="muted">{nic().addressing === 'POOL' ? ` fixed, from IP pool ${nic().pool}` : nic().addresses.length ? ' by DHCP' : ''}</span>
                            </dd>
                          </>
                        )}
                      </Show>
                      <dt>Image</dt>
                      <dd>{v().image ? `${v().image!.name}` : v().isoPath ? `ISO ${v().isoPath}` : '—'}</dd>
                      <Show when={session.can('Host_View')}>
                        <dt>Host</dt>
                        <dd>{v().host ? <A href={`/hosts/${encodeURIComponent(v().host!.id)}`}>{v().host!.name}</A> : '—'}</dd>
                      </Show>
                      <dt>Owner</dt>
                      <dd>{v().owner?.name ?? '—'}</dd>
                      <dt>Created</dt>
                      <dd>{when(v().createdAt)}</dd>
                      <Show when={v().description}>
                        <dt>Description</dt>
                        <dd>{v().description}</dd>
                      </Show>
                      <Show when={v().tags.length}>
                        <dt>Tags</dt>
                        <dd data-testid="vm-tags">
                          <For each={v().tags}>{(tag) => <A class="tag" href={`/vms?tag=${encodeURIComponent(tag)}`}>{tag}</A>}</For>
                        </dd>
                      </Show>
                    </dl>
                  </div>
                  <Show when={v().guest}>
                    {(g) => (
                      <div class="card">
                        <h2>Guest</h2>
                        <dl>
                          <dt>Hostname</dt>
                          <dd class="mono">{g().hostname}</dd>
                          <dt>Login user</dt>
                          <dd class="mono">{g().username}</dd>
                          <dt>Password</dt>
                          <dd>{g().hasPassword ? 'Set (only its hash is kept)' : 'None'}</dd>
                          <dt>SSH keys</dt>
                          <dd>{g().sshKeys.length ? g().sshKeys.map((k) => k.split(' ').slice(-1)[0]).join(', ') : 'None'}</dd>
                          <dt>Time zone</dt>
                          <dd>{g().timezone}</dd>
                          <dt>Disk</dt>
                          <dd>{g().fullCopy ? 'Full copy of the image' : 'Overlay on the cached image'}</dd>
                          <Show when={g().firstBootScript}>
                            <dt>First boot</dt>
                            <dd>
                              <pre class="script">{g().firstBootScript}</pre>
                            </dd>
                          </Show>
                        </dl>
                      </div>
                    )}
                  </Show>
                </div>
                <Suspense fallback={<Loading what="its hardware" />}>
                  <VmHardware vmId={v().id} mayAct={mayAct()} busy={activeTasks().length > 0} onStarted={addTask} />
                </Suspense>
                <Show when={activeTasks().length}>
                  <h2>In progress</h2>
                  <For each={activeTasks()}>{(t) => <TaskCard task={t} open followed />}</For>
                </Show>
              </Match>
              <Match when={tab() === 'console'}>
                <Suspense fallback={<Loading what="the console" />}>
                  <VmConsole vmId={v().id} vmName={v().name} running={v().state === 'RUNNING' || v().state === 'PAUSED'} />
                </Suspense>
              </Match>
              <Match when={tab() === 'disks'}>
                <Suspense fallback={<Loading what="the disks" />}>
                  <DisksTab vm={v()} mayAct={mayAct()} onStarted={addTask} />
                </Suspense>
              </Match>
              <Match when={tab() === 'metrics'}>
                <Suspense fallback={<Loading what="the charts" />}>
                  <VmMetrics vmId={v().id} hasNic={!!v().network} />
                </Suspense>
              </Match>
              <Match when={tab() === 'snapshots'}>
                <Suspense fallback={<Loading what="the snapshots" />}>
                  <SnapshotsTab vm={v()} mayAct={mayAct() && session.can('VM_Snapshot')} onStarted={addTask} />
                </Suspense>
              </Match>
              <Match when={tab() === 'backups'}>
                <Suspense fallback={<Loading what="the backups" />}>
                  <BackupsTab vm={v()} mayAct={mayAct()} />
                </Suspense>
              </Match>
              <Match when={tab() === 'tasks'}>
                <Show when={tasks.items.length} fallback={<Empty>No tasks yet.</Empty>}>
                  <For each={tasks.items}>{(t) => <TaskCard task={t} followed />}</For>
                </Show>
              </Match>
            </Switch>
          </div>

          <Switch>
            <Match when={dialog() === 'delete'}>
              <Dialog title={`Delete ${v().name}?`} onClose={() => setDialog(undefined)}>
                <p>{POWER.delete.confirm}</p>
                <div class="field">
                  <label for="confirm-name">Type the VM's name to confirm</label>
                  <input id="confirm-name" value={deleteName()} onInput={(e) => setDeleteName(e.currentTarget.value)} autocomplete="off" />
                </div>
                <div class="dialog-actions">
                  <button type="button" class="secondary" onClick={() => setDialog(undefined)}>
                    Cancel
                  </button>
                  <button type="button" class="danger" disabled={deleteName() !== v().name} onClick={() => void run('delete')}>
                    Delete VM
                  </button>
                </div>
              </Dialog>
            </Match>
            <Match when={dialog() === 'stop' || dialog() === 'reset'}>
              <Dialog title={`${POWER[dialog() as PowerAction].label} ${v().name}?`} onClose={() => setDialog(undefined)}>
                <p>{POWER[dialog() as PowerAction].confirm}</p>
                <div class="dialog-actions">
                  <button type="button" class="secondary" onClick={() => setDialog(undefined)}>
                    Cancel
                  </button>
                  <button type="button" class="danger" onClick={() => void run(dialog() as PowerAction)}>
                    {POWER[dialog() as PowerAction].label}
                  </button>
                </div>
              </Dialog>
            </Match>
            <Match when={dialog() === 'details'}>
              <VmDetailsDialog
                vm={v()}
                onClose={() => setDialog(undefined)}
                onSaved={(saved) => {
                  setVm((current) => ({ ...current!, name: saved.name, description: saved.description, tags: saved.tags }));
                  setDialog(undefined);
                  setActionError(undefined);
                  setActionNotice('Saved.');
                }}
              />
            </Match>
            <Match when={dialog() === 'clone'}>
              <VmCloneDialog vm={v()} onClose={() => setDialog(undefined)} onCloned={(id) => navigate(`/vms/${id}`)} />
            </Match>
            <Match when={dialog() === 'transfer'}>
              <VmTransferDialog
                vm={v()}
                onClose={() => setDialog(undefined)}
                onTransferred={(moved, to) => {
                  setVm((current) => ({ ...current!, owner: moved.owner }));
                  setDialog(undefined);
                  setActionError(undefined);
                  setActionNotice(`Transferred to ${to}.`);
                }}
              />
            </Match>
            <Match when={taskDialog()}>
              {(d) => <Dynamic component={TASK_DIALOGS[d()]!.component} vm={v()} onClose={() => setDialog(undefined)} onStarted={(t: Task) => onTaskStarted(t, TASK_DIALOGS[d()]!.notice)} />}
            </Match>
          </Switch>
        </section>
      )}
    </Show>
  );
}
