import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { A, useSearchParams } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import type { AuditEntryFieldsFragment, AuditFilter, AuditResult } from '../gql/graphql.ts';
import { createQuery, createSubscription } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { when } from '../lib/format.ts';
import { guarded } from '../Layout.tsx';
import { Options } from '../components/Field.tsx';
import { Alert, Badge, Listing, LoadMore, PageHeader, Table } from '../components/ui.tsx';

graphql(`
  fragment AuditEntryFields on AuditEntry { id at action result requestId target { type id name exists } actorName address detail actor { id name } }
`);

const AuditLogDocument = graphql(`
  query AuditLog($filter: AuditFilter, $after: String) {
    auditLog(filter: $filter, first: 25, after: $after) {
      edges { node { ...AuditEntryFields } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const AuditActionsDocument = graphql(`
  query AuditActions { auditActions }
`);

const AuditAddedDocument = graphql(`
  subscription AuditAdded { auditEntryAdded { ...AuditEntryFields } }
`);

type Entry = AuditEntryFieldsFragment;

const RESULTS: [AuditResult | '', string][] = [['', 'Any'], ['OK', 'Done'], ['FAILED', 'Failed'], ['REFUSED', 'Refused']];
type Params = { action?: string; result?: string; requestId?: string; targetId?: string; from?: string; to?: string };

/** Where a target's page is: its own for VMs and hosts, the list for the rest. */
function targetHref(target: NonNullable<Entry['target']>): string | undefined {
  if (!target.exists) return undefined;
  const id = encodeURIComponent(target.id);
  const pages: Record<string, string> = { Vm: `/vms/${id}`, Host: `/hosts/${id}`, User: '/users', Image: '/images', Role: '/roles', ApiToken: '/profile' };
  return pages[target.type];
}

/** "createVm" → "Create VM", for the filter's choices. */
function actionLabel(action: string): string {
  const words = action.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/\b(vm|ip|api)\b/g, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function toIso(local?: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function AuditLog() {
  const [params, setParams] = useSearchParams<Params>();
  const [draft, setDraft] = createSignal<Params>({ ...params });
  const [entries, setEntries] = createSignal<Entry[]>([]);
  const [more, setMore] = createSignal<{ hasNextPage: boolean; endCursor?: string | null }>();

  const filter = (): AuditFilter => ({
    action: params.action || undefined,
    result: (params.result as AuditResult) || undefined,
    requestId: params.requestId || undefined,
    targetId: params.targetId || undefined,
    from: toIso(params.from),
    to: toIso(params.to),
  });
  const query = createQuery(AuditLogDocument, () => ({ filter: filter() }));
  const actions = createQuery(AuditActionsDocument, () => ({}));
  createEffect(
    on(query.data, (d) => {
      if (!d) return;
      setEntries(d.auditLog.edges.map((e) => e.node));
      setMore(d.auditLog.pageInfo);
    }),
  );

  const matches = (e: Entry) => {
    const f = filter();
    if (f.action && e.action !== f.action) return false;
    if (f.result && e.result !== f.result) return false;
    if (f.requestId && e.requestId !== f.requestId) return false;
    if (f.targetId && e.target?.id !== f.targetId) return false;
    if (f.to) return false;
    return true;
  };
  createSubscription(AuditAddedDocument, () => ({}), ({ auditEntryAdded }) => {
    if (matches(auditEntryAdded)) setEntries((list) => [auditEntryAdded, ...list.filter((x) => x.id !== auditEntryAdded.id)]);
  });

  const loadMore = async () => {
    const d = await request(AuditLogDocument, { filter: filter(), after: more()?.endCursor ?? undefined });
    setEntries((list) => [...list, ...d.auditLog.edges.map((e) => e.node)]);
    setMore(d.auditLog.pageInfo);
  };

  const apply = (e: SubmitEvent) => {
    e.preventDefault();
    const d = draft();
    setParams({ action: d.action || undefined, result: d.result || undefined, requestId: d.requestId || undefined, targetId: d.targetId || undefined, from: d.from || undefined, to: d.to || undefined });
  };
  const set = (k: keyof Params) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft(), [k]: e.currentTarget.value });

  return (
    <section>
      <PageHeader title="Audit log" />
      <form class="card filters" onSubmit={apply} aria-label="Filters">
        <div class="row3">
          <div class="field">
            <label for="audit-action">Action</label>
            <select id="audit-action" value={draft().action ?? ''} onChange={set('action')}>
              <option value="">Any</option>
              <For each={actions.data()?.auditActions ?? (draft().action ? [draft().action!] : [])}>
                {(a) => (
                  <option value={a} selected={a === draft().action}>
                    {actionLabel(a)} ({a})
                  </option>
                )}
              </For>
            </select>
          </div>
          <div class="field">
            <label for="audit-result">Result</label>
            <select id="audit-result" value={draft().result ?? ''} onChange={set('result')}>
              <Options choices={RESULTS} />
            </select>
          </div>
          <div class="field">
            <label for="audit-request">Request id</label>
            <input id="audit-request" class="mono" value={draft().requestId ?? ''} onInput={set('requestId')} />
          </div>
          <div class="field">
            <label for="audit-target">Target id</label>
            <input id="audit-target" class="mono" value={draft().targetId ?? ''} onInput={set('targetId')} />
          </div>
          <div class="field">
            <label for="audit-from">From</label>
            <input id="audit-from" type="datetime-local" value={draft().from ?? ''} onInput={set('from')} />
          </div>
          <div class="field">
            <label for="audit-to">To</label>
            <input id="audit-to" type="datetime-local" value={draft().to ?? ''} onInput={set('to')} />
          </div>
        </div>
        <div class="actions">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft({});
              setParams({ action: undefined, result: undefined, requestId: undefined, targetId: undefined, from: undefined, to: undefined });
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <Alert message={query.error()} />
      <Listing loaded={query.data()} what="the audit log" count={entries().length} empty="No entry matches.">
        <Table label="Audit entries" columns={['When', 'Who', 'Action', 'Result', 'Target', 'Request']} each={entries()}>
          {(e) => (
            <tr>
              <td data-label="When" class="small">
                {when(e.at)}
              </td>
              <td data-label="Who">
                {e.actor?.name ?? e.actorName ?? 'anonymous'}
                <Show when={e.address}>
                  <div class="muted small mono">{e.address}</div>
                </Show>
              </td>
              <td data-label="Action">
                <details>
                  <summary class="mono">{e.action}</summary>
                  <pre class="script">{e.detail}</pre>
                </details>
              </td>
              <td data-label="Result">
                <Badge state={e.result} />
              </td>
              <td data-label="Target" class="small audit-target">
                <Show when={e.target} fallback={<span class="muted">—</span>}>
                  {(target) => (
                    <>
                      <span class="muted">{target().type} </span>
                      <Show when={targetHref(target())} fallback={<span title={target().exists ? undefined : 'Deleted since'}>{target().name ?? target().id}{target().exists ? '' : ' (deleted)'}</span>}>
                        {(href) => <A href={href()}>{target().name ?? target().id}</A>}
                      </Show>
                      <button
                        type="button"
                        class="small ghost"
                        title="Show every entry about it"
                        aria-label={`Entries about ${target().name ?? target().id}`}
                        onClick={() => {
                          setDraft({ targetId: target().id });
                          setParams({ targetId: target().id, requestId: undefined, action: undefined, result: undefined, from: undefined, to: undefined });
                        }}
                      >
                        ⌕
                      </button>
                    </>
                  )}
                </Show>
              </td>
              <td data-label="Request">
                <button type="button" class="small ghost mono" title="Show every entry of this request" onClick={() => { setDraft({ requestId: e.requestId }); setParams({ requestId: e.requestId, action: undefined, result: undefined, targetId: undefined, from: undefined, to: undefined }); }}>
                  {e.requestId}
                </button>
              </td>
            </tr>
          )}
        </Table>
        <LoadMore when={more()?.hasNextPage} label="Older entries" load={loadMore} />
      </Listing>
    </section>
  );
}

export default guarded(['Audit_Read'], AuditLog);
