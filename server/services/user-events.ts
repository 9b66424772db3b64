// Events about a user, published by users.ts, quotas.ts and roles.ts (a role's change shows on its holders).
import type { ServiceContext } from './context.ts';

/** Tells followers of the user and of user lists that what the user shows changed (a role's name, say). */
export function publishUserShown(ctx: Pick<ServiceContext, 'pubsub'>, userId: string): void {
  ctx.pubsub.publish('user:updated', userId, { id: userId });
  publishUserListed(ctx, userId);
}

/** Tells user lists a user was created or changed (a quota, say, which changes no session). */
export function publishUserListed(ctx: Pick<ServiceContext, 'pubsub'>, userId: string): void {
  ctx.pubsub.publish('users:updated', { id: userId });
}

/** The user changed: their cached sessions are forgotten (their name or rights may differ), and their followers told. */
export function publishUserUpdated(ctx: Pick<ServiceContext, 'pubsub' | 'viewers'>, userId: string): void {
  ctx.viewers.announce({ userIds: [userId] });
  publishUserShown(ctx, userId);
}
