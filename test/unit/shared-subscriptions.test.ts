// A shared subscription's members over real WebSockets: every member gets the newest result, and
// when the feed ends each member's subscription ends only after its last result is on the wire
// (graphql-ws then sends `complete`), or fails with the feed's error.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { after, before, test } from 'node:test';
import type { ExecutionResult } from 'graphql';
import WebSocket, { WebSocketServer } from 'ws';
import { joinSharedSubscription } from '../../server/http/shared-subscriptions.ts';

let http: Server;
let wss: WebSocketServer;
let url: string;
const accepted: Array<(pair: { socket: WebSocket; stream: Duplex }) => void> = [];

before(async () => {
  http = createServer();
  wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, stream, head) => wss.handleUpgrade(req, stream, head, (socket) => accepted.shift()!({ socket, stream })));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as { port: number }).port}`;
});

after(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

/** A client socket and the server's side of it; `messages` collects what the client reads. */
async function connect(): Promise<{ client: WebSocket; socket: WebSocket; stream: Duplex; messages: unknown[] }> {
  const server = new Promise<{ socket: WebSocket; stream: Duplex }>((resolve) => accepted.push(resolve));
  const client = new WebSocket(url);
  const messages: unknown[] = [];
  client.on('message', (data) => messages.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  return { client, messages, ...(await server) };
}

/** A feed the test drives: push() hands a result to the group, end() finishes it (with an error if given); returned() counts closes. */
function feed() {
  let closes = 0;
  const queue: Array<IteratorResult<ExecutionResult> | Error> = [];
  let wake: (() => void) | null = null;
  const put = (item: IteratorResult<ExecutionResult> | Error) => {
    queue.push(item);
    wake?.();
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const item = queue.shift()!;
      if (item instanceof Error) throw item;
      return item;
    },
    async return() {
      closes++;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    iterator,
    push: (value: ExecutionResult) => put({ value, done: false }),
    end: (error?: Error) => put(error ?? { value: undefined, done: true }),
    returned: () => closes,
  };
}

async function settled<T>(promise: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown } | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => boolean, message: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('each member gets the newest result, and its subscription ends once the feed has ended and that result is written', async () => {
  const scope = {};
  const source = feed();
  const a = await connect();
  const b = await connect();
  let opened = 0;
  const open = () => {
    opened++;
    return source.iterator;
  };
  const seen: ExecutionResult[] = [];
  const first = joinSharedSubscription(scope, 'k', { socket: a.socket, stream: a.stream, id: 'a-1' }, open, (r) => seen.push(r));
  const second = joinSharedSubscription(scope, 'k', { socket: b.socket, stream: b.stream, id: 'b-1' }, open, (r) => seen.push(r));
  assert.equal(opened, 1, 'one execution for the group');
  const firstEnd = first.next();
  const secondEnd = second.next();

  source.push({ data: { n: 1 } });
  await until(() => a.messages.length === 1 && b.messages.length === 1, 'the first result did not reach both members');
  assert.deepEqual(a.messages[0], { id: 'a-1', type: 'next', payload: { data: { n: 1 } } });
  assert.deepEqual(b.messages[0], { id: 'b-1', type: 'next', payload: { data: { n: 1 } } });

  // A last result and the end in one go: the end must wait for that result to be written.
  source.push({ data: { n: 2 } });
  source.end();
  assert.deepEqual(await settled(firstEnd, 5000), { value: { value: undefined, done: true } });
  assert.deepEqual(await settled(secondEnd, 5000), { value: { value: undefined, done: true } });
  await until(() => a.messages.length === 2 && b.messages.length === 2, 'the last result did not reach both members');
  assert.deepEqual(a.messages[1], { id: 'a-1', type: 'next', payload: { data: { n: 2 } } });
  assert.equal(seen.length, 2, 'each result is seen once for the group');
  a.client.terminate();
  b.client.terminate();
});

test("a feed's failure fails each member's subscription", async () => {
  const source = feed();
  const a = await connect();
  const member = joinSharedSubscription({}, 'k', { socket: a.socket, stream: a.stream, id: '1' }, () => source.iterator, () => {});
  const end = member.next();
  source.push({ data: { n: 1 } });
  source.end(new Error('pub/sub is gone'));
  const outcome = await settled(end, 5000);
  assert.ok(outcome !== 'pending' && outcome.error instanceof Error, `expected a failure, got ${JSON.stringify(outcome)}`);
  assert.equal((outcome.error as Error).message, 'pub/sub is gone');
  await until(() => a.messages.length === 1, 'the result before the failure was not written');
  a.client.terminate();
});

test('a member that leaves gets nothing more, and the last one to leave closes the feed', async () => {
  const source = feed();
  const a = await connect();
  const b = await connect();
  const scope = {};
  const first = joinSharedSubscription(scope, 'k', { socket: a.socket, stream: a.stream, id: '1' }, () => source.iterator, () => {});
  const second = joinSharedSubscription(scope, 'k', { socket: b.socket, stream: b.stream, id: '1' }, () => source.iterator, () => {});
  await first.return!();
  assert.equal(source.returned(), 0, 'the feed stays open while a member is left');
  source.push({ data: { n: 1 } });
  await until(() => b.messages.length === 1, 'the remaining member got nothing');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(a.messages.length, 0, 'a member that left still got a result');
  await second.return!();
  assert.equal(source.returned(), 1, 'the last member leaving closes the feed');
  a.client.terminate();
  b.client.terminate();
});
