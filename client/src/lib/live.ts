// Solid primitives over the GraphQL client: queries that fetch again after a reconnect, and
// subscriptions that live as long as the component that opened them.
import { createEffect, createSignal, onCleanup, untrack, type Accessor } from 'solid-js';
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
