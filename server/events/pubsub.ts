import { createPubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';

/** What a change of someone's rights touches; every open socket of a match is re-checked. */
export interface RightsChanged {
  userIds?: string[];
  sessionIds?: string[];
  tokenIds?: string[];
  /** A role's privileges changed: every holder of it is affected. */
  all?: boolean;
}

// Every live event between processes goes through one of these topics.
export type Topics = {
  'rights:changed': [RightsChanged];
  'audit:added': [{ id: string }];
  'user:updated': [userId: string, { id: string }];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export interface EventBus {
  pubsub: PubSub;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Redis pub/sub when a URL is given (many processes), otherwise in-process. */
export function createEventBus(redisUrl: string | undefined): EventBus {
  if (!redisUrl) {
    return { pubsub: createPubSub<Topics>(), ping: async () => {}, close: async () => {} };
  }
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<Topics>({ eventTarget }),
    ping: async () => {
      await publishClient.ping();
    },
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
