import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pingDatabase, type Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { EventBus } from '../events/pubsub.ts';
import type { Context } from '../graphql/context.ts';
import type { Logger } from '../log.ts';
import { hasPrivilege, type Viewer } from '../services/auth.ts';
import { ViewerDirectory } from '../services/viewers.ts';
import { createConsoleProxy } from './console-proxy.ts';
import { applyCors } from './cors.ts';
import { serveMetrics } from './metrics-export.ts';
import { requestIdFrom } from './request-id.ts';
import { oidcRoute, serveOidc } from './oidc-routes.ts';
import { bearerTokenFrom, secureCookies, sessionCookie, sessionCookieFrom } from './session-cookie.ts';
import { attachSockets } from './sockets.ts';
import { serveClient } from './static-client.ts';
import { drain, isMultipartRequest, readMultipartGraphqlRequest, UploadRequestError, UploadSlots } from './uploads.ts';
import type { UploadedFiles } from '../graphql/context.ts';
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

const REQUEST_TIMEOUT_MS = 60_000;

export async function startApiServer({ db, boss, config, bus, log }: Deps): Promise<ApiServer> {
  const yoga = createHangarYoga();
  const viewers = new ViewerDirectory(db, bus.pubsub, log);
  const secureCookie = secureCookies(config.publicUrl);
  const uploadSlots = new UploadSlots(config.uploads);
  let shuttingDown = false;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const path = pathOf(req.url);
    const requestLog = log.child({ requestId });
    // An upload may take long but must keep moving; any other request has a minute in all.
    if (isMultipartRequest(req)) req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy());
    else {
      const timer = setTimeout(() => req.destroy(), REQUEST_TIMEOUT_MS);
      res.on('close', () => clearTimeout(timer));
    }
    res.on('finish', () => requestLog.info({ method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }, 'request'));

    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') return readiness(res);
    if (path === '/metrics') return serveMetrics(req, res, { db, config, viewers });
    const oidc = oidcRoute(path);
    if (oidc) return serveOidc(req, res, oidc, { db, boss, config, pubsub: bus.pubsub, viewers, requestId, secureCookie });
    if (path !== '/graphql') return serveClient(path, res);

    const refuse = (status: number, code: string, message: string) => json(res, status, { errors: [{ message, extensions: { code, requestId } }] });
    if (applyCors(req, res, config.corsOrigins, refuse) === 'answered') return;

    const bearer = bearerTokenFrom(req.headers);
    // A POST in a shape a cross-site form can send (urlencoded, multipart, text/plain) may come from
    // another site, signed in or not (login CSRF): it must carry x-hangar-csrf, which a form cannot
    // set. A Bearer token is never sent by a browser on its own, so it needs no such proof.
    if (req.method === 'POST' && !bearer && !isPreflighted(req) && !req.headers['x-hangar-csrf']) {
      if (isMultipartRequest(req)) refuseUpload(req, res);
      return refuse(403, 'CSRF', 'A POST to /graphql that is not JSON needs the x-hangar-csrf header (or a Bearer token)');
    }
    const cookie = sessionCookieFrom(req.headers);
    const cookies: string[] = [];
    let viewer: Viewer | null = null;
    if (bearer) {
      viewer = await viewers.resolve(bearer);
      if (!viewer) return refuse(401, 'UNAUTHENTICATED', 'The Bearer token is invalid, expired or revoked');
    } else if (cookie) {
      viewer = await viewers.resolve(cookie);
      if (!viewer) cookies.push(sessionCookie(null, undefined, secureCookie));
    }

    let body: Buffer | undefined;
    let uploads: UploadedFiles | undefined;
    if (req.method === 'POST' && isMultipartRequest(req)) {
      // File uploads stream to the image store; yoga gets plain JSON with a token per file (uploads.ts).
      // Who may upload is settled before a byte of the body is read: only image uploads use files.
      const refusal = !viewer
        ? new UploadRequestError(401, 'UNAUTHENTICATED', 'Sign in first: uploads need a signed-in user')
        : !hasPrivilege(viewer, 'Image.Create')
          ? new UploadRequestError(403, 'FORBIDDEN', 'Uploading an image needs the Image.Create privilege')
          : null;
      const slot = refusal ?? uploadSlots.take(viewer!.userId);
      if (slot instanceof UploadRequestError) {
        refuseUpload(req, res);
        if (slot.status === 429) res.setHeader('retry-after', '5');
        return refuse(slot.status, slot.code, slot.message);
      }
      let closed = false;
      res.once('close', () => {
        closed = true;
        slot();
      });
      try {
        const multipart = await readMultipartGraphqlRequest(req, { dir: join(config.imageDir, 'incoming'), maxFileBytes: config.imageMaxBytes, maxFieldBytes: config.maxBodyBytes });
        // The temp files go when the response ends, whether the client stayed for it or not.
        if (closed) {
          await multipart.cleanup();
          return;
        }
        res.once('close', () => void multipart.cleanup());
        ({ body, uploads } = multipart);
      } catch (error) {
        if (error instanceof UploadRequestError) return refuse(error.status, error.code, error.message);
        throw error;
      }
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        body = await readBody(req, config.maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          res.setHeader('connection', 'close');
          return refuse(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${config.maxBodyBytes} bytes`);
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
      requestInfo: { requestId, ip: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] ?? null, host: req.headers.host ?? null },
      setSessionCookie: (secret, expiresAt) => {
        cookies.push(sessionCookie(secret, expiresAt, secureCookie));
        // Resolvers run before the response is written: the cookie rides along with yoga's headers.
        if (!res.headersSent) res.setHeader('set-cookie', cookies);
      },
      uploads,
    };
    if (cookies.length) res.setHeader('set-cookie', cookies);
    if (uploads) {
      // yoga gets the multipart request rewritten as JSON, files replaced by tokens.
      req.headers['content-type'] = 'application/json';
      delete req.headers['content-length'];
    }
    // The body is read (and limited) above; yoga takes it as is instead of reading the stream again.
    if (body) (req as IncomingMessage & { body?: Buffer }).body = body;
    // yoga's own Node adapter: lazy headers, no WHATWG Request built by hand, the response written directly.
    await yoga(req, res, context);
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
  // Per request instead (handle): Node's own limit would cut large uploads off.
  server.requestTimeout = 0;
  const consoles = createConsoleProxy({ db, config, pubsub: bus.pubsub, log, viewers });
  const upgrades = new Map([
    ['/console', consoles.handleUpgrade],
    ['/console/serial', consoles.handleSerialUpgrade],
  ]);
  const sockets = attachSockets(server, { db, boss, config, pubsub: bus.pubsub, log, yoga, viewers, upgrades });

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
      await consoles.close();
      await viewers.close();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** The URL's path; the GraphQL endpoint (nearly every request) without parsing a URL. */
function pathOf(url = '/'): string {
  if (url === '/graphql' || url.startsWith('/graphql?')) return '/graphql';
  return new URL(url, 'http://x').pathname;
}

function isPreflighted(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return PREFLIGHTED_TYPES.includes(type);
}

/** A refused upload's body is not stored: read and dropped (bounded), and the connection closed after the answer. */
function refuseUpload(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
  drain(req);
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
