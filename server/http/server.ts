import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pingDatabase, type Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { EventBus } from '../events/pubsub.ts';
import type { Context } from '../graphql/context.ts';
import type { Logger } from '../log.ts';
import type { Viewer } from '../services/auth.ts';
import { ViewerDirectory } from '../services/viewers.ts';
import { requestIdFrom } from './request-id.ts';
import { bearerTokenFrom, sessionCookie, sessionCookieFrom } from './session-cookie.ts';
import { attachSockets } from './sockets.ts';
import { serveClient } from './static-client.ts';
import { createHangarYoga } from './yoga.ts';

export interface ApiServer {
  url: string;
  /** Stops accepting, lets in-flight requests finish, closes sockets with 1001. */
  close(): Promise<void>;
}

interface Deps {
  db: Db;
  boss: import('pg-boss').PgBoss;
  config: Config;
  bus: EventBus;
  log: Logger;
}

class BodyTooLarge extends Error {}

// Content types a cross-site form cannot send without a CORS preflight.
const PREFLIGHTED_TYPES = ['application/json', 'application/graphql-response+json'];

export async function startApiServer({ db, boss, config, bus, log }: Deps): Promise<ApiServer> {
  const yoga = createHangarYoga();
  const viewers = new ViewerDirectory(db, bus.pubsub, log);
  const secureCookie = config.publicUrl?.startsWith('https:') ?? false;
  let shuttingDown = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const requestLog = log.child({ requestId });
    res.on('finish', () => requestLog.info({ method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request'));

    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') return readiness(res);
    if (path !== '/graphql') return serveClient(path, res);

    const bearer = bearerTokenFrom(req.headers);
    const cookie = sessionCookieFrom(req.headers);
    const cookies: string[] = [];
    let viewer: Viewer | null = null;
    if (bearer) {
      viewer = await viewers.resolve(bearer);
      if (!viewer) return json(res, 401, { errors: [{ message: 'The Bearer token is invalid, expired or revoked', extensions: { code: 'UNAUTHENTICATED', requestId } }] });
    } else if (cookie) {
      viewer = await viewers.resolve(cookie);
      if (!viewer) cookies.push(sessionCookie(null, undefined, secureCookie));
      else if (req.method === 'POST' && !isPreflighted(req) && !req.headers['x-hangar-csrf']) {
        // A cookie-authenticated request in a form-compatible shape could come from another site.
        return json(res, 403, { errors: [{ message: 'Cookie-authenticated requests need the x-hangar-csrf header', extensions: { code: 'CSRF', requestId } }] });
      }
    }

    let body: Buffer | undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        body = await readBody(req, config.maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          res.setHeader('connection', 'close');
          return json(res, 413, { errors: [{ message: `The request body exceeds ${config.maxBodyBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE', requestId } }] });
        }
        throw error;
      }
    }

    const context: Context = {
      db,
      boss,
      config,
      pubsub: bus.pubsub,
      log: requestLog,
      viewer,
      viewers,
      requestId,
      ip: req.socket.remoteAddress ?? null,
      userAgent: req.headers['user-agent'] ?? null,
      setSessionCookie: (secret, expiresAt) => cookies.push(sessionCookie(secret, expiresAt, secureCookie)),
    };
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) headers.set(name, value.join(', '));
    }
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: req.method, headers, body: body as BodyInit | undefined });
    const response = await yoga.fetch(request, context);
    const outgoing: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') outgoing[name] = value;
    });
    if (cookies.length) outgoing['set-cookie'] = cookies;
    res.writeHead(response.status, outgoing);
    if (!response.body) return void res.end();
    for await (const chunk of response.body) res.write(chunk);
    res.end();
  }

  async function readiness(res: ServerResponse): Promise<void> {
    if (shuttingDown) return json(res, 503, { status: 'shutting down' });
    const checks: Record<string, string> = {};
    await pingDatabase(db).then(() => (checks.database = 'ok'), (e: Error) => (checks.database = e.message));
    if (config.redisUrl) await bus.ping().then(() => (checks.redis = 'ok'), (e: Error) => (checks.redis = e.message));
    const ready = Object.values(checks).every((v) => v === 'ok');
    json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) json(res, 500, { errors: [{ message: 'Unexpected error.' }] });
      else res.destroy();
    });
  });
  server.requestTimeout = 60_000;
  const sockets = attachSockets(server, { db, boss, config, pubsub: bus.pubsub, log, yoga, viewers });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  return {
    url: `http://${host}:${port}`,
    close: async () => {
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await sockets.close();
      await viewers.close();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

function isPreflighted(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return PREFLIGHTED_TYPES.includes(type);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
