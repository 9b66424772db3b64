import type { Db } from '../../db/connection.ts';
import type { PgBoss } from 'pg-boss';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import type { Viewer } from '../services/auth.ts';
import type { ViewerDirectory } from '../services/viewers.ts';

/** A file a multipart request carried, streamed to disk by http/uploads.ts; the Upload scalar reads it. */
export interface UploadedFile {
  /** The temp file in the image store's incoming/ folder; deleted when the request ends unless moved. */
  path: string;
  /** The name the client gave, without directories or control characters. */
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/** token → file, for one request. */
export type UploadedFiles = ReadonlyMap<string, UploadedFile>;

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
