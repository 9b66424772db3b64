// Sockets with the same shared subscription (see sharedResultsKey in sockets.ts) get one execution
// per event, serialised once and written to each socket straight away. Through graphql-ws, each of
// ten thousand sockets would copy and serialise the result and step through a chain of promises of
// its own for every sample; here a delivery is one buffer (a WebSocket frame holding graphql-ws's
// `next` message) written to the socket's TCP stream. ws writes its own frames to that stream
// straight away too (no compression is negotiated), so the order of messages holds.
//
// graphql-ws still owns each subscription: it gets an iterator that yields nothing and ends when
// the shared feed ends (so it sends `complete`, or `error` when the feed failed), and closing the
// socket or `complete` from the client calls its return(), which leaves the group.
//
// A socket that is slow to read keeps at most one write in flight and one result waiting, the
// newest: memory never grows with its lag (test/integration/metrics-backpressure.test.ts).
import type { Duplex } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { MessageType } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { slicedRunner } from '../events/sliced.ts';
import { textFrame } from './ws-frame.ts';

// Writes per turn of the event loop: one event can mean thousands of writes, and the rest of the
// server (HTTP requests, other sockets' reads) gets a turn between slices.
const SLICE = 512;
const CLOSE_BRACE = Buffer.from('}');
const EMPTY = Buffer.alloc(0);

export interface SharedSubscriber {
  socket: WebSocket;
  /** The TCP stream under `socket` (what the HTTP upgrade handed to ws). */
  stream: Duplex;
  /** The subscription's id on that socket (graphql-ws `subscribe` message). */
  id: string;
}

interface Group {
  key: string;
  /** The groups of its scope, by key. */
  byKey: Map<string, Group>;
  source: AsyncIterator<ExecutionResult>;
  members: Set<Member>;
}

const groups = new WeakMap<object, Map<string, Group>>();

/**
 * Joins `subscriber` to the group of `key` within `scope`, opening the group's one execution with
 * `open` when there is none. `onResult` sees each result once (to log its errors). Returns the
 * iterator graphql-ws waits on for this subscription.
 */
export function joinSharedSubscription(
  scope: object,
  key: string,
  subscriber: SharedSubscriber,
  open: () => AsyncIterable<ExecutionResult>,
  onResult: (result: ExecutionResult) => void,
): AsyncIterableIterator<never> {
  let byKey = groups.get(scope);
  if (!byKey) groups.set(scope, (byKey = new Map()));
  let group = byKey.get(key);
  if (!group) {
    group = { key, byKey, source: open()[Symbol.asyncIterator](), members: new Set() };
    byKey.set(key, group);
    void pumpGroup(group, onResult);
  }
  // Members hold the group, not their own copy of the key (a few hundred bytes per socket).
  const member = new Member(subscriber, group);
  group.members.add(member);
  return member;
}

async function leaveGroup(group: Group, member: Member): Promise<void> {
  group.members.delete(member);
  if (group.members.size > 0) return;
  if (group.byKey.get(group.key) === group) group.byKey.delete(group.key);
  await group.source.return?.();
}

async function pumpGroup(group: Group, onResult: (result: ExecutionResult) => void): Promise<void> {
  let failure: { error: unknown } | null = null;
  try {
    for (let r = await group.source.next(); !r.done; r = await group.source.next()) {
      onResult(r.value);
      // JSON.stringify turns GraphQLErrors into their toJSON() form, as graphql-ws does.
      const payload = Buffer.from(JSON.stringify(r.value));
      for (const member of group.members) member.offer(payload);
    }
  } catch (error) {
    failure = { error };
  } finally {
    if (group.byKey.get(group.key) === group) group.byKey.delete(group.key);
    for (const member of group.members) member.finish(failure);
    group.members.clear();
  }
}

// Members with a result to write, a slice per turn of the event loop.
const scheduleWrite = slicedRunner<Member>(SLICE, (member) => member.write());

/** One socket's subscription in a group, and the iterator graphql-ws waits on for it. */
class Member implements AsyncIterableIterator<never> {
  private readonly socket: WebSocket;
  private readonly stream: Duplex;
  /** `{"id":…,"type":"next","payload":` — a result's JSON and `}` make the message. */
  private readonly prefix: Buffer;
  private readonly group: Group;
  /** The newest result not yet written, as JSON. */
  private payload: Buffer | null = null;
  private scheduled = false;
  private writing = false;
  private ended: { failure: { error: unknown } | null } | null = null;
  private settle: ((failure: { error: unknown } | null) => void) | null = null;
  private left = false;

  constructor({ socket, stream, id }: SharedSubscriber, group: Group) {
    this.socket = socket;
    this.stream = stream;
    this.prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"${MessageType.Next}","payload":`);
    this.group = group;
  }

  offer(payload: Buffer): void {
    this.payload = payload;
    if (!this.writing && !this.scheduled) {
      this.scheduled = true;
      scheduleWrite(this);
    }
  }

  write(): void {
    this.scheduled = false;
    const payload = this.payload;
    if (payload === null || this.writing || this.left) return;
    this.payload = null;
    if (this.socket.readyState !== this.socket.OPEN) return; // graphql-ws's close handler calls return()
    const frame = textFrame([this.prefix, payload, CLOSE_BRACE]);
    if (this.stream.writableLength === 0) {
      // Nearly every write goes straight through to the kernel: written with no callback, Node
      // schedules nothing after it (a callback costs a closure and a tick per write, ~8 % of the
      // fan-out's CPU at 10,000 sockets).
      this.stream.write(frame);
      if (this.stream.writableLength === 0) return this.settleIfEnded();
      // Still in flight: an empty write queued behind it calls back once it is through.
      this.writeAndWait(EMPTY);
    } else {
      this.writeAndWait(frame);
    }
  }

  /** Writes `chunk` behind whatever is in flight and waits for it: the next result waits meanwhile. */
  private writeAndWait(chunk: Buffer): void {
    this.writing = true;
    this.stream.write(chunk, (error) => {
      this.writing = false;
      if (error) return;
      if (this.payload !== null) this.offer(this.payload);
      else this.settleIfEnded();
    });
  }

  /** The feed ended: graphql-ws completes the subscription once the result waiting, if any, is written. */
  finish(failure: { error: unknown } | null): void {
    this.ended = { failure };
    if (!this.writing && this.payload === null) this.settleIfEnded();
  }

  private settleIfEnded(): void {
    if (!this.ended || !this.settle) return;
    const settle = this.settle;
    this.settle = null;
    settle(this.ended.failure);
  }

  next(): Promise<IteratorResult<never>> {
    return new Promise((resolve, reject) => {
      this.settle = (failure) => (failure ? reject(failure.error) : resolve({ value: undefined, done: true }));
      if (this.ended && !this.writing && this.payload === null) this.settleIfEnded();
    });
  }

  async return(): Promise<IteratorResult<never>> {
    if (!this.left) {
      this.left = true;
      this.payload = null;
      this.settle?.(null);
      this.settle = null;
      await leaveGroup(this.group, this);
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
