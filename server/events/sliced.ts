// Work queued in bursts (one sample can wake thousands of subscriptions) done a slice per turn of
// the event loop, so requests and other sockets get a turn between slices.

/** Returns `later(item)`, which queues `item` for `run`; up to `slice` items run per turn, in order. */
export function slicedRunner<T>(slice: number, run: (item: T) => void): (item: T) => void {
  const queue: T[] = [];
  let head = 0;
  let draining = false;
  const drain = (): void => {
    const end = Math.min(head + slice, queue.length);
    for (; head < end; head++) run(queue[head]);
    if (head < queue.length) return void setImmediate(drain);
    queue.length = 0;
    head = 0;
    draining = false;
  };
  return (item) => {
    queue.push(item);
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  };
}
