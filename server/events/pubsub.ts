import { createPubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { HostSample, VmSample } from './samples.ts';
import type { Logger } from '../log.ts';

/** What a change of someone's rights touches; every open socket of a match is re-checked. */
export interface RightsChanged {
  userIds?: string[];
  sessionIds?: string[];
  tokenIds?: string[];
  /** A role's privileges changed: every holder of it is affected. */
  all?: boolean;
  /**
   * Heard only by this process, from its own Redis connection: 'down' (changes announced from now on
   * may be lost: stop caching), 'reconnected' (some may have been lost: re-check everything, with `all`).
   */
  pubsub?: 'down' | 'reconnected';
}

// Every live event between processes goes through one of these topics.
export type Topics = {
  'rights:changed': [RightsChanged];
  'audit:added': [{ id: string }];
  'user:updated': [userId: string, { id: string }];
  /** Any user created or changed (lists); only for those who may see every user. */
  'users:updated': [{ id: string }];
  /** A task's status, steps or log changed. */
  'task:updated': [taskId: string, TaskEvent];
  /** cancelTask asked a running task to stop: its worker aborts the run (the request is on record too). */
  'task:cancel': [taskId: string, { id: string; reason: string }];
  /** Any task changed (lists, dashboards); subscribers filter by what the viewer may see. */
  'tasks:updated': [TaskEvent];
  /** A VM's state or settings changed. */
  'vm:updated': [vmId: string, VmEvent];
  'vms:updated': [VmEvent];
  /** An image was added, changed, shared or deleted; subscribers filter by its audience. */
  'images:updated': [ImageEvent];
  'host:updated': [{ id: string }];
  /** A VM's rates over the last interval, from the collector. */
  'metrics:vm': [vmId: string, VmSample];
  /** A host's own figures over the last interval, from the collector. */
  'metrics:host': [hostId: string, HostSample];
};

export interface TaskEvent {
  id: string;
  vmId: string | null;
  userId: string | null;
  /** The owner of the task's VM, who sees it too; absent when the publisher did not know it. */
  vmOwnerId?: string | null;
}

/**
 * Who may hear of an image's change besides Image.Manage, carried in the event so subscribers
 * filter it without a query: its owner, everyone when it is public, the users it is shared with.
 * A change of visibility carries both audiences, so those who lose the image hear of it too.
 */
export interface ImageEvent {
  id: string;
  ownerId: string | null;
  public: boolean;
  sharedWith: string[];
}

export interface VmEvent {
  id: string;
  ownerId: string;
}

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

/** Passes on only the events the predicate accepts (checked per event: rights can change). */
export async function* filtered<T>(source: AsyncIterable<T>, accept: (event: T) => boolean | Promise<boolean>): AsyncGenerator<T> {
  for await (const event of source) if (await accept(event)) yield event;
}

export interface EventBus {
  pubsub: PubSub;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Redis pub/sub when a URL is given (many processes), otherwise in-process. */
export function createEventBus(redisUrl: string | undefined, log?: Logger, channelPrefix = 'hangar'): EventBus {
  if (!redisUrl) {
    return { pubsub: createPubSub<Topics>(), ping: async () => {}, close: async () => {} };
  }
  // Redis being away must degrade live events, never crash the process or hang a request.
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null, connectTimeout: 2000 });
  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (err: Error) => log?.warn({ err: err.message }, 'redis connection error'));
  }
  // Installations sharing one Redis must not hear each other: every channel carries the prefix.
  const prefix = `${channelPrefix}:`;
  const publisher = {
    publish: (topic: string, message: string) =>
      publishClient.publish(prefix + topic, message).catch((err: Error) => {
        log?.warn({ err: err.message, topic }, 'could not publish an event');
        return 0;
      }),
  };
  // The event target's listener, to hand this process news of its own connection (local only).
  const listeners: Array<(topic: string, message: string) => void> = [];
  const tellThisProcess = (change: RightsChanged) => {
    for (const listener of listeners) listener('rights:changed', JSON.stringify(change));
  };
  const subscriber = {
    on: (_event: 'message', listener: (topic: string, message: string) => void) => {
      listeners.push(listener);
      return subscribeClient.on('message', (channel: string, message: string) => {
        if (channel.startsWith(prefix)) listener(channel.slice(prefix.length), message);
      });
    },
    subscribe: (topic: string) => subscribeClient.subscribe(prefix + topic),
    unsubscribe: (topic: string) => subscribeClient.unsubscribe(prefix + topic),
  };
  // Messages published while this connection was down are lost for good (Redis pub/sub keeps nothing):
  // when it is back, every open socket and console re-reads its rights from the database.
  let wasReady = false;
  let down = false;
  subscribeClient.on('ready', () => {
    if (!wasReady) {
      wasReady = true;
      return;
    }
    if (!down) return;
    // ioredis re-subscribes right after 'ready': a ping answered after it means we hear again.
    void subscribeClient
      .ping()
      .catch(() => {})
      .then(() => {
        if (subscribeClient.status !== 'ready' || !down) return;
        down = false;
        log?.info('redis connection back: re-checking every open socket');
        tellThisProcess({ all: true, pubsub: 'reconnected' });
      });
  });
  let closing = false;
  subscribeClient.on('close', () => {
    if (!wasReady || down || closing) return;
    down = true;
    log?.warn('redis connection lost: live events and revocations from other processes are not heard until it is back');
    tellThisProcess({ pubsub: 'down' });
  });
  const eventTarget = createRedisEventTarget({ publishClient: publisher as unknown as Redis, subscribeClient: subscriber as unknown as Redis });
  return {
    pubsub: createPubSub<Topics>({ eventTarget }),
    ping: async () => {
      await Promise.race([publishClient.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2000).unref())]);
    },
    close: async () => {
      closing = true;
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
