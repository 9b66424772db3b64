// Latest-value delivery for live samples. A consumer that falls behind (a slow socket) skips to the
// newest value instead of queueing the ones it missed, so memory never grows with its lag.
import { slicedRunner } from './sliced.ts';

// Consumers woken by a new value, a slice per turn of the event loop: one published sample can wake
// thousands of subscriptions, and waking them all at once keeps every one's half-done delivery alive
// together (memory, and long garbage collections) until the last is sent; a slice at a time sends
// the first ones early and lets each slice's garbage die young.
const wakeLater = slicedRunner<{ wake(): void }>(256, (slot) => slot.wake());

/** One consumer's view: at most one value held, handed over when the consumer asks. */
class LatestSlot<T> implements AsyncIterableIterator<T> {
  private pending: { value: T } | null = null;
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private wakeScheduled = false;
  private done = false;
  private failure: { error: unknown } | null = null;
  private readonly onReturn: () => Promise<void> | void;

  constructor(onReturn: () => Promise<void> | void) {
    this.onReturn = onReturn;
  }

  deliver(value: T): void {
    this.pending = { value };
    if (this.waiting && !this.wakeScheduled) {
      this.wakeScheduled = true;
      wakeLater(this);
    }
  }

  /** No more values after the one held, if any; a failure is thrown to the consumer once, after it. */
  finish(failure: { error: unknown } | null = null): void {
    if (this.done) return;
    this.done = true;
    this.failure = failure;
    // A consumer waiting with a value held has its wake-up queued: that hands the value over first.
    if (this.waiting && !this.pending) {
      const waiting = this.waiting;
      this.waiting = null;
      this.settle(waiting);
    }
  }

  /** Its turn in the wake-up queue: hands over what is newest now, not what was newest when it was queued. */
  wake(): void {
    this.wakeScheduled = false;
    if (!this.waiting || !this.pending) return;
    const { resolve } = this.waiting;
    const { value } = this.pending;
    this.waiting = null;
    this.pending = null;
    resolve({ value, done: false });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.pending) {
      const { value } = this.pending;
      this.pending = null;
      return Promise.resolve({ value, done: false });
    }
    return new Promise((resolve, reject) => {
      if (this.done) this.settle({ resolve, reject });
      else this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.pending = null;
    if (!this.done) {
      this.finish();
      await this.onReturn();
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  private settle({ resolve, reject }: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void }): void {
    const failure = this.failure;
    this.failure = null;
    if (failure) reject(failure.error);
    else resolve({ value: undefined, done: true });
  }
}

/** Reads `source` to its end, passing each value on; `finished` gets the error it failed with, if it did. */
function pump<T>(source: AsyncIterator<T>, deliver: (value: T) => void, finished: (failure: { error: unknown } | null) => void): void {
  void (async () => {
    let failure: { error: unknown } | null = null;
    try {
      for (let r = await source.next(); !r.done; r = await source.next()) deliver(r.value);
    } catch (error) {
      failure = { error };
    } finally {
      finished(failure);
    }
  })();
}

interface Feed<T> {
  iterator: AsyncIterator<T>;
  consumers: Set<LatestSlot<T>>;
}

const feeds = new WeakMap<object, Map<string, Feed<any>>>();

/**
 * The newest value of a feed that many consumers share: the first consumer of `key` (within
 * `scope`, e.g. one pub/sub) opens it, each value goes to every consumer's slot at once, and the
 * last one to leave closes it. Ten thousand dashboards of one VM cost one subscription, not ten
 * thousand. `open` is called only when no feed of `key` is open.
 */
export function sharedLatest<T>(scope: object, key: string, open: () => AsyncIterable<T>): AsyncIterableIterator<T> {
  let byKey = feeds.get(scope);
  if (!byKey) feeds.set(scope, (byKey = new Map()));
  let feed = byKey.get(key) as Feed<T> | undefined;
  if (!feed) {
    const opened: Feed<T> = { iterator: open()[Symbol.asyncIterator](), consumers: new Set() };
    byKey.set(key, (feed = opened));
    pump(
      opened.iterator,
      (value) => {
        for (const consumer of opened.consumers) consumer.deliver(value);
      },
      (failure) => {
        if (byKey.get(key) === opened) byKey.delete(key);
        for (const consumer of opened.consumers) consumer.finish(failure);
        opened.consumers.clear();
      },
    );
  }
  const current = feed;
  const slot: LatestSlot<T> = new LatestSlot<T>(async () => {
    current.consumers.delete(slot);
    if (current.consumers.size > 0) return;
    if (byKey.get(key) === current) byKey.delete(key);
    await current.iterator.return?.();
  });
  current.consumers.add(slot);
  return slot;
}
