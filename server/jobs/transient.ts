// Writes that record what a worker did must survive a database restart or failover: the worker
// keeps what it has and writes it once the database answers again, instead of failing the task.

/** Errors of a connection that ended or of a server that is not accepting sessions (yet). */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  // 57P01-03: admin shutdown, crash shutdown, cannot connect now; 08xxx: connection exceptions; 53300: too many connections.
  if (/^(57P0[123]|08...|53300)$/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH'].includes(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|not queryable|Client was closed|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect|terminating connection/i.test(message);
}

const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 2000;

/** Runs write, again after each connection error (with back-off), until it succeeds or giveUp() says so. */
export async function untilWritten<T>(write: () => Promise<T>, giveUp: () => boolean = () => false): Promise<T> {
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    try {
      return await write();
    } catch (error) {
      if (!isConnectionError(error) || giveUp()) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
