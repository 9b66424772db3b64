// Changes a signed-in user makes to their own credentials, announced once they are committed: the
// sockets and caches of the ended sessions (and tokens) close at once. (Beside auth.ts, not in it:
// the service context reaches auth.ts through the viewer directory.)
import { changePassword, closeSession } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';

/** Ends the caller's session; false when there was none. */
export async function signOut(ctx: ServiceContext): Promise<boolean> {
  const sessionId = ctx.viewer?.sessionId;
  if (!sessionId) return false;
  await closeSession(ctx.db, sessionId);
  ctx.viewers.announce({ sessionIds: [sessionId] });
  return true;
}

/** Changes the caller's own password (asking for the current one); their other sessions end, and their tokens unless asked not to. */
export async function changeOwnPassword(ctx: ServiceContext, input: Parameters<typeof changePassword>[2]): Promise<void> {
  const viewer = actorOf(ctx);
  await changePassword(ctx.db, viewer, input);
  ctx.viewers.announce({ userIds: [viewer.userId] });
}
