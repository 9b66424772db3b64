import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, Kind, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { PubSub, RightsChanged } from '../events/pubsub.ts';
import type { Context } from '../graphql/context.ts';
import type { Logger } from '../log.ts';
import type { Viewer } from '../services/auth.ts';
import type { ViewerDirectory } from '../services/viewers.ts';
import { requestIdFrom } from './request-id.ts';
import { sessionCookieFrom } from './session-cookie.ts';
import { joinSharedSubscription, type SharedSubscriber } from './shared-subscriptions.ts';
import type { HangarYoga } from './yoga.ts';

// How often the server pings each socket to find dead ones (graphql-ws's default is 12 s). Each ping
// and pong is a write and a read per socket: at 10,000 sockets, 30 s costs 60 % less CPU than 12 s,
// still well inside the 60 s idle timeout of common proxies; browsers ping us every 15 s anyway.
const KEEP_ALIVE_MS = 30_000;
/** Secrets re-read at once by a sweep. */
const RECHECK_CONCURRENCY = 4;
/** setTimeout's longest delay (about 24.8 days): a later expiry is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Connection {
  socket: WebSocket;
  /** The TCP stream under `socket`. */
  stream: Duplex;
  secret: string | null;
  viewer: Viewer | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Fires at the credential's expiry: the socket re-checks it then. */
  expiryTimer: NodeJS.Timeout | null;
}

/** What onSubscribe hands to execute/subscribe through graphql-ws (as the root value). */
interface Operation {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  /** Set when sockets with this operation and viewer may all get the same results: see sharedResultsKey. */
  shared: (SharedSubscriber & { key: string; requestId: string }) | null;
}

interface Deps {
  db: Db;
  boss: import('pg-boss').PgBoss;
  config: Config;
  pubsub: PubSub;
  log: Logger;
  yoga: HangarYoga;
  viewers: ViewerDirectory;
  /** Other WebSocket endpoints on this port, by path (the console proxy on /console). */
  upgrades?: ReadonlyMap<string, (req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
}


/**
 * graphql-ws on the same /graphql path. A connection authenticates once (connection_init token or
 * session cookie); a change of its user's rights re-checks it and closes it when they changed.
 */
export function attachSockets(server: Server, deps: Deps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.maxBodyBytes });
  const connections = new Set<Connection>();
  // Shared subscriptions write their frames to the TCP stream itself (shared-subscriptions.ts).
  const streams = new WeakMap<WebSocket, Duplex>();
  // The scope of this server's shared subscriptions (joinSharedSubscription).
  const sharedResults = {};

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const other = deps.upgrades?.get(path);
    if (other) return other(req, socket, head);
    if (path !== '/graphql') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      streams.set(ws, socket);
      wss.emit('connection', ws, req);
    });
  });

  useServer<Record<string, unknown> | undefined, { connection?: Connection; request: IncomingMessage }>(
    {
      onConnect: async (ctx) => {
        const req = ctx.extra.request;
        const given = ctx.connectionParams?.authToken;
        let secret = typeof given === 'string' ? given : null;
        // A cookie rides along on cross-site sockets too: only trust it from our own origin.
        if (!secret && sameOrigin(req, deps.config.publicUrl)) secret = sessionCookieFrom(req.headers);
        const resolved = secret ? await deps.viewers.resolveWithExpiry(secret) : null;
        if (secret && !resolved) return false;
        const viewer = resolved?.viewer ?? null;
        const socket = ctx.extra.socket as WebSocket;
        const stream = streams.get(socket);
        if (!stream) return false;
        const connection: Connection = {
          socket,
          stream,
          secret,
          viewer,
          requestId: requestIdFrom(req.headers['x-request-id']),
          ip: req.socket.remoteAddress ?? null,
          userAgent: req.headers['user-agent'] ?? null,
          expiryTimer: null,
        };
        armExpiry(connection, resolved?.expiresAt ?? null);
        (ctx.extra as { connection?: Connection }).connection = connection;
        // The upgrade request (headers and all) would otherwise be kept for the socket's life.
        (ctx.extra as { request?: IncomingMessage }).request = undefined;
        connections.add(connection);
        return true;
      },
      onClose: (ctx) => {
        const connection = (ctx.extra as { connection?: Connection }).connection;
        if (connection) {
          connections.delete(connection);
          if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = (ctx.extra as { connection?: Connection }).connection!;
        const context: Context = {
          db: deps.db,
          boss: deps.boss,
          config: deps.config,
          pubsub: deps.pubsub,
          log: deps.log.child({ requestId: connection.requestId, operation: id }),
          viewer: connection.viewer,
          viewers: deps.viewers,
          requestInfo: { requestId: connection.requestId, ip: connection.ip, userAgent: connection.userAgent },
          setSessionCookie: () => {},
        };
        const { schema, execute, subscribe, contextFactory, parse, validate } = deps.yoga.getEnveloped(context);
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const sharedKey = sharedResultsKey(schema, document, payload, connection.viewer);
        const operation: Operation = { execute, subscribe, shared: sharedKey ? { key: sharedKey, socket: connection.socket, stream: connection.stream, id, requestId: connection.requestId } : null };
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: operation,
        };
      },
      onNext: (ctx, id, _payload, _args, result) => {
        logUnexpectedErrors(result, (ctx.extra as { connection?: Connection }).connection?.requestId, id);
      },
      execute: (args) => (args.rootValue as Operation).execute(args) as ReturnType<typeof import('graphql').execute>,
      subscribe: async (args) => {
        const operation = args.rootValue as Operation;
        const own = (await operation.subscribe(args)) as AsyncIterableIterator<ExecutionResult> | ExecutionResult;
        const shared = operation.shared;
        if (!shared || !(Symbol.asyncIterator in own)) return own;
        // Subscribed (and so authorized) on its own; the results come from the first open one like it.
        let first = false;
        const results = joinSharedSubscription(
          sharedResults,
          shared.key,
          { socket: shared.socket, stream: shared.stream, id: shared.id },
          () => {
            first = true;
            return own;
          },
          // Logged once for the group, under the subscription that opened it.
          (result) => logUnexpectedErrors(result, shared.requestId, shared.id),
        );
        operation.shared = null; // the group's execution keeps the root value; the socket is not its to keep
        if (first) return results;
        await own.return?.();
        // Its own subscription is closed and needs them no more, but graphql-ws keeps them for the socket's life.
        args.contextValue = undefined;
        args.rootValue = undefined;
        return results;
      },
    },
    wss,
    KEEP_ALIVE_MS,
  );

  function logUnexpectedErrors(result: ExecutionResult, requestId: string | undefined, operation: string): void {
    for (const e of result.errors ?? []) {
      if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') deps.log.error({ err: e.originalError, requestId, operation }, 'unexpected error in a subscription');
    }
  }

  async function recheck(change: RightsChanged): Promise<void> {
    const touched = [...connections].filter((connection) => {
      const viewer = connection.viewer;
      return (
        viewer &&
        (change.all ||
          change.userIds?.includes(viewer.userId) ||
          (viewer.sessionId && change.sessionIds?.includes(viewer.sessionId)) ||
          (viewer.tokenId && change.tokenIds?.includes(viewer.tokenId)))
      );
    });
    await revalidate(touched);
  }

  /** Reads the credentials of these sockets again (each secret once) and closes those that lost their rights. */
  async function revalidate(which: Connection[]): Promise<void> {
    const bySecret = new Map<string, Connection[]>();
    for (const connection of which) {
      if (!connection.secret || !connection.viewer) continue;
      bySecret.set(connection.secret, [...(bySecret.get(connection.secret) ?? []), connection]);
    }
    const secrets = [...bySecret.keys()];
    // A few at a time: a sweep over many sockets must not take every database connection.
    const worker = async () => {
      for (let secret = secrets.pop(); secret !== undefined; secret = secrets.pop()) {
        let now: Awaited<ReturnType<ViewerDirectory['refreshWithExpiry']>>;
        try {
          now = await deps.viewers.refreshWithExpiry(secret);
        } catch (err) {
          // Looked at again on the next sweep.
          deps.log.error({ err }, 'could not re-check the credential of open sockets');
          continue;
        }
        for (const connection of bySecret.get(secret)!) {
          if (!connections.has(connection)) continue;
          if (!now) {
            connection.socket.close(CloseCode.Unauthorized, 'Unauthorized: signed out, expired, disabled or revoked');
          } else if (!samePrivileges(now.viewer, connection.viewer!)) {
            // Forbidden is not fatal for graphql-ws clients: they reconnect and subscribe with the new rights.
            connection.socket.close(CloseCode.Forbidden, 'Forbidden: your rights changed');
          } else {
            armExpiry(connection, now.expiresAt);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: RECHECK_CONCURRENCY }, worker));
  }

  /** At the credential's expiry the socket re-checks it (the database's clock decides; a second later if it still lives). */
  function armExpiry(connection: Connection, expiresAt: Date | null): void {
    if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
    connection.expiryTimer = null;
    if (!expiresAt || !connection.secret) return;
    const left = expiresAt.getTime() - Date.now();
    // Already past by our clock yet still valid: the database's clock is behind ours; look again in a second.
    const delay = left > 0 ? Math.min(left + 50, MAX_TIMER_MS) : 1000;
    connection.expiryTimer = setTimeout(() => {
      connection.expiryTimer = null;
      revalidate([connection]).catch((err) => deps.log.error({ err }, 'could not re-check an expiring socket'));
    }, delay);
    connection.expiryTimer.unref();
  }

  deps.viewers.onChange(recheck);

  // A safety net under pub/sub: a change whose message was lost (Redis down, a process cut off) is
  // still seen within this period.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    revalidate([...connections])
      .catch((err) => deps.log.error({ err }, 'could not re-check open sockets'))
      .finally(() => (sweeping = false));
  }, deps.config.socketRecheckMs);
  sweep.unref();

  return {
    count: () => connections.size,
    /** Closes every socket with Going Away (1001). */
    close: async () => {
      clearInterval(sweep);
      for (const connection of connections) if (connection.expiryTimer) clearTimeout(connection.expiryTimer);
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Sockets with the same subscription (query text, operation name, variables) by the same viewer
 * (user and privileges) get the same results when its root fields say their results depend on
 * nothing else (`extensions: { sharedResults: true }`, the live metrics): those are executed once
 * per event, not once per socket. Null when the operation may not share.
 */
function sharedResultsKey(schema: GraphQLSchema, document: DocumentNode, payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }, viewer: Viewer | null): string | null {
  const operation = getOperationAST(document, payload.operationName);
  const fields = schema.getSubscriptionType()?.getFields();
  if (operation?.operation !== 'subscription' || !fields) return null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || fields[selection.name.value]?.extensions?.sharedResults !== true) return null;
  }
  const who = viewer ? [viewer.userId, ...[...viewer.privileges].sort()] : null;
  return JSON.stringify([who, payload.operationName ?? null, payload.query, payload.variables ?? null]);
}

function samePrivileges(a: Viewer, b: Viewer): boolean {
  return a.privileges.size === b.privileges.size && [...a.privileges].every((p) => b.privileges.has(p));
}

function sameOrigin(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser
  if (publicUrl && origin === new URL(publicUrl).origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
