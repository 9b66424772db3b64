// The GraphQL client: fetch for queries and mutations (the session is an httpOnly cookie; the
// x-hangar-csrf header marks requests the page made), graphql-ws for subscriptions.
import { createSignal } from 'solid-js';
import type { Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql.ts';

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorEntry[];
  readonly status: number;
  constructor(errors: GraphQLErrorEntry[], status: number) {
    super(errors.map((e) => e.message).join('; ') || 'GraphQL request failed');
    this.name = 'GraphQLRequestError';
    this.errors = errors;
    this.status = status;
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code as string | undefined;
  }
  get requestId(): string | undefined {
    return this.errors[0]?.extensions?.requestId as string | undefined;
  }
}

type Doc<R, V> = TypedDocumentString<R, V> | string;
type Vars<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

/** Called when the server says the session is gone (UNAUTHENTICATED, or a socket closed with 4401). */
let onSessionLost: () => void = () => {};
export function setSessionLostHandler(handler: () => void): void {
  onSessionLost = handler;
}

function parsePayload<R>(status: number, statusText: string, text: string): R {
  let payload: { data?: R | null; errors?: GraphQLErrorEntry[] };
  try {
    payload = JSON.parse(text) as typeof payload;
  } catch {
    throw new Error(`The server answered ${status} ${statusText}`);
  }
  if (payload.errors && payload.errors.length > 0) {
    const error = new GraphQLRequestError(payload.errors, status);
    if (error.code === 'UNAUTHENTICATED') onSessionLost();
    throw error;
  }
  if (payload.data == null) throw new Error(`The server answered ${status} without data`);
  return payload.data;
}

/** Runs a query or mutation; throws GraphQLRequestError for GraphQL errors (typed errors are data). */
export async function request<R, V>(document: Doc<R, V>, ...[variables]: Vars<V>): Promise<R> {
  const query = document.toString();
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-hangar-csrf': '1' },
    body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
  });
  return parsePayload<R>(response.status, response.statusText, await response.text());
}

/**
 * A mutation with a file, by the GraphQL multipart request spec, through XMLHttpRequest so the
 * upload's progress can be shown. `fileVariable` names the Upload variable.
 */
export function uploadRequest<R, V>(
  document: Doc<R, V>,
  variables: V,
  fileVariable: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<R> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: document.toString(), variables: { ...variables, [fileVariable]: null } }));
    form.append('map', JSON.stringify({ 0: [`variables.${fileVariable}`] }));
    form.append('0', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/graphql');
    xhr.withCredentials = true;
    xhr.setRequestHeader('x-hangar-csrf', '1');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 413) return reject(new Error('The file is larger than this Hangar accepts'));
      try {
        resolve(parsePayload<R>(xhr.status, xhr.statusText, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new Error('The upload was interrupted: the connection to Hangar failed'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

// ---- Subscriptions ----------------------------------------------------------

const [generation, setGeneration] = createSignal(0);
const [connection, setConnection] = createSignal<'connecting' | 'connected' | 'reconnecting'>('connecting');
/**
 * Grows by one each time the socket comes back after it was lost: whatever was read before may
 * have changed meanwhile, so readers that track it fetch again.
 */
export const reconnects = generation;
/** The live connection's state, for the header's indicator. */
export const liveConnection = connection;

let client: Client | undefined;
let clientPromise: Promise<Client> | undefined;

/**
 * Closes the live connection: a socket is authenticated when it opens, so after signing out or in
 * the next subscription must open a new one with the new session cookie.
 */
export function resetLiveConnection(): void {
  const old = client;
  client = undefined;
  clientPromise = undefined;
  void old?.dispose();
  setConnection('connecting');
}

/** Exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 30 s. */
export function backoffMs(retries: number): number {
  const base = Math.min(30_000, 500 * 2 ** retries);
  return base / 2 + Math.random() * (base / 2);
}

async function wsClient(): Promise<Client> {
  if (client) return client;
  clientPromise ??= import('graphql-ws').then(({ createClient }) => {
    const url = new URL('/graphql', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let everConnected = false;
    client = createClient({
      url: url.toString(),
      lazy: true,
      lazyCloseTimeout: 5_000,
      keepAlive: 15_000,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, backoffMs(retries))),
      on: {
        connected: () => {
          setConnection('connected');
          // graphql-ws subscribes again by itself; what changed while we were away is fetched anew.
          if (everConnected) setGeneration((g) => g + 1);
          everConnected = true;
        },
        closed: (event) => {
          const code = (event as { code?: number } | undefined)?.code;
          if (code === 4401) onSessionLost();
          // A lazy client closes when nothing listens: that is not a lost connection.
          if (code !== 1000) setConnection('reconnecting');
        },
      },
    });
    return client;
  });
  // A failed load of the chunk (a page navigating away mid-load, a server restarted with a new build)
  // is not kept: the next subscription loads it again.
  clientPromise.catch(() => {
    clientPromise = undefined;
  });
  return clientPromise;
}

export interface SubscriptionHandlers<R> {
  next: (data: R) => void;
  error?: (error: Error) => void;
}

/** Subscribes; the returned function ends the subscription. Reconnects and re-subscribes on its own. */
export function subscribe<R, V>(document: Doc<R, V>, variables: V | undefined, handlers: SubscriptionHandlers<R>): () => void {
  let dispose: (() => void) | undefined;
  let ended = false;
  void wsClient().then((c) => {
    if (ended) return;
    dispose = c.subscribe<R>(
      { query: document.toString(), variables: variables as Record<string, unknown> | undefined },
      {
        next: (value) => {
          if (value.errors?.length) handlers.error?.(new GraphQLRequestError(value.errors as GraphQLErrorEntry[], 200));
          else if (value.data) handlers.next(value.data as R);
        },
        error: (error) => {
          if (Array.isArray(error)) handlers.error?.(new GraphQLRequestError(error as GraphQLErrorEntry[], 200));
          else handlers.error?.(error instanceof Error ? error : new Error('The live connection closed'));
        },
        complete: () => {},
      },
    );
  }, (error: unknown) => {
    if (!ended) handlers.error?.(error instanceof Error ? error : new Error('The live connection could not be opened'));
  });
  return () => {
    ended = true;
    dispose?.();
  };
}

/** Turns any thrown value into words for the page. */
export function errorText(error: unknown): string {
  if (error instanceof GraphQLRequestError) {
    if (error.code === 'FORBIDDEN') return `You may not do this: ${error.message}`;
    return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
