import type { PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import { PermissionError } from '../errors.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Viewer } from './auth.ts';
import type { ViewerDirectory } from './viewers.ts';

/** Who asked and from where: tasks and audit entries carry the request id, so one request can be traced through every service. */
export interface RequestInfo {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** The Host header: WebAuthn's relying party when HANGAR_PUBLIC_URL is not set (second-factor.ts). */
  host?: string | null;
}

/**
 * What a service needs to serve one request, built once per request (http/server.ts for HTTP,
 * http/sockets.ts per operation over a socket). A service that changes something publishes its
 * events through it itself, after its transaction committed: never for a change that rolled back.
 */
export interface ServiceContext {
  db: Db;
  /** The job queue: host operations are sent inside the transaction that records them. */
  boss: PgBoss;
  pubsub: PubSub;
  config: Config;
  /** Resolves secrets to viewers (cached) and announces changes of rights. */
  viewers: ViewerDirectory;
  viewer: Viewer | null;
  /** Not `request`: yoga puts its own Request object under that name in every GraphQL context. */
  requestInfo: RequestInfo;
}

/** The signed-in viewer a change needs; the API lets only signed-in callers reach such a service. */
export function actorOf(ctx: Pick<ServiceContext, 'viewer'>): Viewer {
  if (!ctx.viewer) throw new PermissionError('Sign in first');
  return ctx.viewer;
}
