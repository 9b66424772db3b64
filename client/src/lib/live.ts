// Solid primitives over the GraphQL client: queries that fetch again after a reconnect, and
// subscriptions that live as long as the component that opened them.
import { createEffect, createSignal, on, onCleanup, untrack, type Accessor } from 'solid-js';
import { createStore, reconcile, unwrap } from 'solid-js/store';
import type { TypedDocumentString } from '../gql/graphql.ts';
import { errorText, reconnects, request, subscribe } from './graphql.ts';

export interface Query<R> {
  data: Accessor<R | undefined>;
  error: Accessor<string | undefined>;
  loading: Accessor<boolean>;
  refetch: () => Promise<void>;
  mutate: (update: (current: R | undefined) => R | undefined) => void;
}

/**
 * Runs the query whenever its variables change and after every reconnect. `variables` returning
 * false means "not now". The previous data stays shown while the next answer is on its way.
 */
export function createQuery<R, V>(document: TypedDocumentString<R, V> | string, variables: () => V | false): Query<R> {
  const [data, setData] = createSignal<R>();
  const [error, setError] = createSignal<string>();
  const [loading, setLoading] = createSignal(true);
  let sequence = 0;
  const run = async (v: V): Promise<void> => {
    const mine = ++sequence;
    setLoading(true);
    try {
      const result = await (request as (d: unknown, v: unknown) => Promise<R>)(document, v);
      if (mine === sequence) {
        setData(() => result);
        setError(undefined);
      }
    } catch (e) {
      if (mine === sequence) setError(errorText(e));
    } finally {
      if (mine === sequence) setLoading(false);
    }
  };
  createEffect(() => {
    const v = variables();
    reconnects();
    if (v !== false) void untrack(() => run(v));
  });
  return {
    data,
    error,
    loading,
    refetch: async () => {
      const v = untrack(variables);
      if (v !== false) await run(v);
    },
    mutate: (update) => setData((current) => update(current)),
  };
}

/** A subscription for the life of the calling component; restarts when its variables change (false: none). */
export function createSubscription<R, V>(
  document: TypedDocumentString<R, V> | string,
  variables: () => V | false,
  next: (data: R) => void,
  error?: (message: string) => void,
): void {
  createEffect(() => {
    const v = variables();
    if (v === false) return;
    const stop = subscribe(document as TypedDocumentString<R, V>, v, { next, error: (e) => error?.(errorText(e)) });
    onCleanup(stop);
  });
}

export interface LiveListRules<T> {
  /** The server's filter, on the client: an item that stops matching leaves the list. */
  matches?: (item: T) => boolean;
  /** The server's order, for items that arrive or change. */
  order: (a: T, b: T) => number;
  /** The page the query read: an item that would fall after it stays out, as it would on a fresh read. */
  limit?: number;
}

export interface LiveList<T> {
  /** The items, kept by id: a changed item updates in place (its row and open details stay). */
  readonly items: T[];
  /** An item as the server has it now: replaced, inserted in order, or dropped when it no longer matches. */
  put(item: T): void;
  /** An item gone from the viewer's sight (deleted, no longer shared). */
  remove(id: string): void;
}

/**
 * A list read by a query and kept current by a subscription's events (`put`, `remove`); every
 * answer of the query (the first, and those after a reconnect) replaces it.
 */
export function createLiveList<T extends { id: string }>(source: Accessor<readonly T[] | undefined>, rules: LiveListRules<T>): LiveList<T> {
  const [state, setState] = createStore<{ items: T[] }>({ items: [] });
  const replace = (next: T[]) => setState('items', reconcile(next, { key: 'id' }));
  createEffect(on(source, (list) => list && replace([...list])));
  return {
    get items() {
      return state.items;
    },
    put(item) {
      const current = unwrap(state.items);
      const known = current.some((x) => x.id === item.id);
      const rest = current.filter((x) => x.id !== item.id);
      if (rules.matches && !rules.matches(item)) {
        if (known) replace(rest);
        return;
      }
      const at = rest.findIndex((x) => rules.order(item, x) < 0);
      if (at === -1 && !known && rules.limit !== undefined && rest.length >= rules.limit) return;
      const next = rest.slice();
      next.splice(at === -1 ? next.length : at, 0, item);
      replace(rules.limit !== undefined ? next.slice(0, rules.limit) : next);
    },
    remove(id) {
      if (unwrap(state.items).some((x) => x.id === id)) replace(unwrap(state.items).filter((x) => x.id !== id));
    },
  };
}

/** Newest first, as lists of tasks and audit entries come. */
export const newestFirst = <T extends { createdAt: string; id: string }>(a: T, b: T): number => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/** Calls `run` at most once per `ms`, after the last call (for "something changed: read again"). */
export function debounce(run: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  return () => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
}

/** A signal that ticks every `ms` (for "3 min ago" labels). */
export function createNow(ms = 15_000): Accessor<number> {
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), ms);
  onCleanup(() => clearInterval(timer));
  return now;
}
