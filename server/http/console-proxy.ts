import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { PubSub, RightsChanged } from '../events/pubsub.ts';
import { openSerialConsole, vncEndpoint, type VncEndpoint } from '../hypervisor/console.ts';
import type { Logger } from '../log.ts';
import { recordAudit } from '../services/audit.ts';
import { checkConsoleGrant, ConsoleRefusedError, redeemConsoleTicket, type ConsoleGrant, type ConsoleTarget } from '../services/console.ts';
import { settingsOf } from '../services/hosts.ts';
import type { ViewerDirectory } from '../services/viewers.ts';
import { requestIdFrom } from './request-id.ts';

interface Deps {
  db: Db;
  config: Config;
  pubsub: PubSub;
  log: Logger;
  viewers: ViewerDirectory;
}

interface ConsoleSession {
  ws: WebSocket;
  grant: ConsoleGrant;
  /** Fires at the expiry of the session or token the console was opened with. */
  expiryTimer: NodeJS.Timeout | null;
}

// Pause the VNC side while this much is queued for the browser; resume below the low mark.
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const LOW_WATER_BYTES = 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
// Close codes in the application range, as graphql-ws uses them on /graphql.
const CLOSE_UNAUTHORIZED = 4401;
const CLOSE_FORBIDDEN = 4403;
/** setTimeout's longest delay (about 24.8 days): a later expiry is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a console carries: the VM's screen (RFB to its VNC server) or its first serial port (text). */
export type ConsoleKind = 'vnc' | 'serial';

/**
 * The browser console: a WebSocket on /console?ticket=… (binary frames; subprotocol `binary` when
 * asked for) bridged to the VM's VNC server over TCP, or on /console/serial?ticket=… bridged to its
 * serial port (`virsh console`). The ticket is redeemed before the upgrade is accepted; an open
 * console closes when its user's rights no longer allow it.
 */
export function createConsoleProxy(deps: Deps) {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: deps.config.maxBodyBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false),
  });
  const sessions = new Set<ConsoleSession>();

  async function handleUpgrade(kind: ConsoleKind, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const log = deps.log.child({ requestId, path: kind === 'vnc' ? '/console' : '/console/serial' });
    socket.on('error', () => socket.destroy());
    if (!allowedOrigin(req, deps.config.publicUrl)) return refuse(socket, 403, 'This origin may not open consoles', requestId);
    const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket');
    if (!ticket) return refuse(socket, 401, 'A console ticket is needed: ask for one with createConsoleTicket', requestId);

    let target: ConsoleTarget;
    let vnc: Duplex;
    let reached: Record<string, string>;
    try {
      target = await redeemConsoleTicket(deps.db, ticket);
      if (kind === 'vnc') {
        const endpoint = await vncEndpoint(target.host.uri, target.vm.id, settingsOf(target.host, deps.config).vncListen);
        vnc = await openTcp(endpoint);
        reached = { type: 'vnc', vnc: `${endpoint.host}:${endpoint.port}` };
      } else {
        vnc = openSerialConsole(target.host.uri, target.vm.id);
        reached = { type: 'serial' };
      }
    } catch (error) {
      if (error instanceof ConsoleRefusedError) return refuse(socket, error.status, error.message, requestId);
      log.warn({ err: error }, `the console could not reach the VM\u2019s ${kind === 'vnc' ? 'VNC server' : 'serial port'}`);
      return refuse(socket, 502, 'The VM\u2019s console cannot be reached on its host', requestId);
    }
    if (socket.destroyed) return void vnc.destroy();
    // ws answers a malformed handshake itself (400) and never calls back: the VNC connection must not linger.
    let bridged = false;
    socket.once('close', () => bridged || vnc.destroy());

    wss.handleUpgrade(req, socket, head, (ws) => {
      bridged = true;
      const session: ConsoleSession = { ws, grant: target.grant, expiryTimer: null };
      sessions.add(session);
      void deps.viewers
        .expiryOfCredential(target.grant)
        .then((expiresAt) => armExpiry(session, expiresAt))
        .catch((err) => log.error({ err }, 'could not read when the console\u2019s credential expires'));
      const ip = req.socket.remoteAddress ?? null;
      const audit = (action: string, detail: Record<string, unknown>) =>
        void recordConsoleAudit(action, target, requestId, ip, detail).catch((err) => log.error({ err }, `could not write the audit entry ${action}`));
      bridge(ws, vnc, log.child({ vmId: target.vm.id, userId: target.grant.userId }), (closed) => {
        sessions.delete(session);
        if (session.expiryTimer) clearTimeout(session.expiryTimer);
        // Same request id as the opening: the two entries pair up in the log.
        audit('closeConsole', closed);
      });
      audit('openConsole', {
        ticketRequestId: target.ticketRequestId,
        host: target.host.name,
        ...reached,
        ...(target.grant.tokenId ? { apiTokenId: target.grant.tokenId } : {}),
      });
    });
  }

  async function recordConsoleAudit(action: string, target: ConsoleTarget, requestId: string, ip: string | null, detail: Record<string, unknown>): Promise<void> {
    const entry = await recordAudit(deps.db, {
      actor_id: target.grant.userId,
      actor_name: target.userEmail,
      action,
      target_type: 'Vm',
      target_id: target.vm.id,
      request_id: requestId,
      ip,
      result: 'ok',
      detail,
    });
    deps.pubsub.publish('audit:added', { id: entry.id });
  }

  async function recheck(change: RightsChanged): Promise<void> {
    const touched = [...sessions].filter(
      ({ grant }) =>
        change.all ||
        change.userIds?.includes(grant.userId) ||
        (grant.sessionId && change.sessionIds?.includes(grant.sessionId)) ||
        (grant.tokenId && change.tokenIds?.includes(grant.tokenId)),
    );
    await revalidate(touched);
  }

  /** Checks these consoles' grants against the database and closes those it no longer allows. */
  async function revalidate(which: ConsoleSession[]): Promise<void> {
    for (const session of which) {
      const { grant, ws } = session;
      if (!sessions.has(session)) continue;
      try {
        await checkConsoleGrant(deps.db, grant);
      } catch (error) {
        // The others are still checked; this one is looked at again on the next change.
        if (!(error instanceof ConsoleRefusedError)) {
          deps.log.error({ err: error, vmId: grant.vmId, userId: grant.userId }, 'could not re-check the rights of an open console');
          continue;
        }
        // A VM that stopped ends its console by itself (its VNC server goes away): only rights close it here.
        if (error.status === 401) closeFromHangar(ws, CLOSE_UNAUTHORIZED, 'Unauthorized: signed out, disabled or revoked');
        else if (error.status === 403) closeFromHangar(ws, CLOSE_FORBIDDEN, 'Forbidden: your rights changed');
      }
    }
  }

  /** At the credential's expiry the console re-checks its grant (a second later again while the database still counts it valid). */
  function armExpiry(session: ConsoleSession, expiresAt: Date | null): void {
    if (session.expiryTimer) clearTimeout(session.expiryTimer);
    session.expiryTimer = null;
    if (!expiresAt || !sessions.has(session)) return;
    const left = expiresAt.getTime() - Date.now();
    session.expiryTimer = setTimeout(
      () => {
        session.expiryTimer = null;
        void revalidate([session]).then(() => armExpiry(session, expiresAt));
      },
      left > 0 ? Math.min(left + 50, MAX_TIMER_MS) : 1000,
    );
    session.expiryTimer.unref();
  }

  deps.viewers.onChange(recheck);

  // A safety net under pub/sub: a change whose message was lost is still seen within this period.
  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping || sessions.size === 0) return;
    sweeping = true;
    void revalidate([...sessions]).finally(() => (sweeping = false));
  }, deps.config.socketRecheckMs);
  sweep.unref();

  const upgradeTo =
    (kind: ConsoleKind) =>
    (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      handleUpgrade(kind, req, socket, head).catch((err) => {
        deps.log.error({ err }, 'console upgrade failed');
        refuse(socket, 500, 'Unexpected error', requestIdFrom(undefined));
      });
    };

  return {
    handleUpgrade: upgradeTo('vnc'),
    handleSerialUpgrade: upgradeTo('serial'),
    count: () => sessions.size,
    /** Closes every console with Going Away (1001). */
    close: async () => {
      clearInterval(sweep);
      for (const { expiryTimer } of sessions) if (expiryTimer) clearTimeout(expiryTimer);
      for (const { ws } of sessions) closeFromHangar(ws, 1001, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type ConsoleProxy = ReturnType<typeof createConsoleProxy>;

/**
 * The close code and reason Hangar itself sent, by socket: what the browser echoes back (the code
 * without the reason, or nothing when it has gone) would not say why the console ended.
 */
const hangarCloses = new WeakMap<WebSocket, { code: number; reason: string }>();

function closeFromHangar(ws: WebSocket, code: number, reason: string): void {
  if (!hangarCloses.has(ws)) hangarCloses.set(ws, { code, reason });
  ws.close(code, reason);
}

/** How a console ended (who closed it, the code and reason they gave) and what it carried. */
type ConsoleClosed = {
  closedBy: 'hangar' | 'browser';
  code: number;
  reason: string;
  seconds: number;
  bytesToBrowser: number;
  bytesToVm: number;
};

/** Pipes bytes both ways, each side held back while the other cannot keep up; either closing closes both. */
function bridge(ws: WebSocket, vnc: Duplex, log: Logger, onClose: (closed: ConsoleClosed) => void): void {
  const opened = Date.now();
  let toBrowser = 0;
  let toVm = 0;

  vnc.on('data', (chunk: Buffer) => {
    toBrowser += chunk.length;
    ws.send(chunk, { binary: true }, () => {
      if (vnc.isPaused() && ws.bufferedAmount < LOW_WATER_BYTES) vnc.resume();
    });
    if (ws.bufferedAmount > HIGH_WATER_BYTES) vnc.pause();
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    // RFB and the serial line are byte streams: base64 text frames (old noVNC) are not spoken here.
    if (!isBinary) return closeFromHangar(ws, 1003, 'The console speaks binary frames only');
    const bytes = data as Buffer; // binaryType nodebuffer: always one Buffer
    toVm += bytes.length;
    if (!vnc.write(bytes) && !ws.isPaused) {
      ws.pause();
      vnc.once('drain', () => ws.resume());
    }
  });

  vnc.on('error', (err) => {
    log.warn({ err }, 'the console\u2019s connection to the VM failed');
    closeFromHangar(ws, 1011, 'The console\u2019s connection to the VM failed');
  });
  // A serial console ends its output before it closes; RFB never does.
  vnc.on('end', () => vnc.destroy());
  vnc.on('close', () => {
    if (ws.readyState === ws.OPEN) closeFromHangar(ws, 1000, 'The VM\u2019s console closed');
  });
  ws.on('error', () => vnc.destroy());
  ws.on('close', (code, reason) => {
    vnc.destroy();
    const own = hangarCloses.get(ws);
    const closed = {
      closedBy: own ? ('hangar' as const) : ('browser' as const),
      code: own?.code ?? code,
      reason: own?.reason ?? reason.toString('utf8'),
      seconds: Math.round((Date.now() - opened) / 1000),
      bytesToBrowser: toBrowser,
      bytesToVm: toVm,
    };
    onClose(closed);
    log.info(closed, 'console closed');
  });
  log.info('console opened');
}

function openTcp({ host, port }: VncEndpoint): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no answer from ${host}:${port} within ${CONNECT_TIMEOUT_MS / 1000} s`)));
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    // Kept after connecting: an error before the bridge listens must not go unhandled (reject is then a no-op).
    socket.on('error', reject);
  });
}

/** Answers the upgrade request with a plain HTTP error and closes the connection. */
function refuse(socket: Duplex, status: number, message: string, requestId: string): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/** With HANGAR_PUBLIC_URL set, a browser may open consoles only from that origin (a ticket is the credential, not a cookie). */
function allowedOrigin(req: IncomingMessage, publicUrl: string | undefined): boolean {
  const origin = req.headers.origin;
  if (!publicUrl || !origin) return true;
  return origin === new URL(publicUrl).origin;
}
