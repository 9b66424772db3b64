/**
 * Passes on the newest value of `source` only: a consumer that falls behind (a slow socket) skips
 * to the latest value instead of queueing the ones it missed, so memory never grows with its lag.
 */
export function latestOnly<T>(source: AsyncIterable<T>): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: { value: T } | null = null;
  let waiting: ((result: IteratorResult<T>) => void) | null = null;
  let done = false;

  const deliver = (value: T) => {
    const resolve = waiting;
    waiting = null;
    if (resolve) resolve({ value, done: false });
    else pending = { value };
  };
  const finish = () => {
    done = true;
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };
  void (async () => {
    try {
      for (let r = await iterator.next(); !r.done && !done; r = await iterator.next()) {
        deliver(r.value);
      }
    } finally {
      finish();
    }
  })();

  return {
    next: () => {
      if (pending) {
        const { value } = pending;
        pending = null;
        return Promise.resolve({ value, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: async () => {
      finish();
      pending = null;
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
