import type { Db } from '../../db/connection.ts';
import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { UploadedFiles } from '../http/uploads.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import type { Viewer } from '../services/auth.ts';
import type { ViewerDirectory } from '../services/viewers.ts';

/** What every resolver receives: one per HTTP request, one per subscription over a socket. */
export interface Context {
  db: Db;
  config: Config;
  pubsub: PubSub;
  /** The job queue: mutations send host operations inside their transaction. */
  boss: PgBoss;
  log: Logger;
  viewer: Viewer | null;
  /** Resolves secrets to viewers (cached) and announces changes of rights. */
  viewers: ViewerDirectory;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Sets or clears the browser's session cookie; sockets cannot, so there it is a no-op. */
  setSessionCookie(secret: string | null, expiresAt?: Date): void;
  /** The files of a multipart request, by the token its variables hold (see http/uploads.ts). */
  uploads?: UploadedFiles;
}
