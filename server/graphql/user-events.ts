// Events about a user, published by user.ts and by role.ts (a role's change shows on its holders).
import type { Context } from './context.ts';

/** Tells followers of the user and of user lists that what the user shows changed (a role's name, say). */
export function publishUserShown(ctx: Pick<Context, 'pubsub'>, userId: string): void {
  ctx.pubsub.publish('user:updated', userId, { id: userId });
  publishUserListed(ctx, userId);
}

/** Tells user lists a user was created or changed (a quota, say, which changes no session). */
export function publishUserListed(ctx: Pick<Context, 'pubsub'>, userId: string): void {
  ctx.pubsub.publish('users:updated', { id: userId });
}
