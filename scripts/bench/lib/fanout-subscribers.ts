// Child process of the fan-out benchmark: many vmMetrics subscribers, each on its own WebSocket,
// speaking graphql-transport-ws directly over a bare WebSocket client (no graphql-ws client, no
// `ws`: the client side is kept cheap, since it shares the machine with the API). Driven by the bench process over IPC; each
// delivery is timed as (time received − the sample's `at`), and the round it belongs to (the
// publisher puts it in cpuPercent) is counted per subscriber, so a lost delivery can be named.
import { BareWebSocket } from './websocket-client.ts';

export const SUBSCRIPTION = 'subscription($id: ID!) { vmMetrics(id: $id) { vmId at cpuPercent memoryUsedBytes diskReadBytesPerSecond netRxBytesPerSecond } }';

export type Command =
  | { type: 'open'; url: string; token: string; vmIds: string[]; first: number; count: number; concurrency: number }
  | { type: 'status'; round?: number }
  | { type: 'report'; rounds: number[] }
  | { type: 'close' };

export type Reply =
  | { type: 'opened'; count: number; ms: number }
  | { type: 'status'; subscribers: number; withSample: number; roundReceived: number; deliveries: number; problems: string[] }
  | { type: 'report'; latencies: number[][]; missing: number; duplicates: number; missingExamples: string[]; problems: string[] }
  | { type: 'failed'; error: string };

interface Subscriber {
  index: number;
  vmId: string;
  socket: BareWebSocket;
  samples: number;
}

const subscribers: Subscriber[] = [];
/** round → per subscriber (by position in `subscribers`) how many deliveries of it arrived. */
const received = new Map<number, Uint8Array>();
/** round → per subscriber (by position) the publish-to-receive time in ms of its first delivery of it.
 * Fixed-size arrays: growing ones would make the process take fresh pages (page faults, costly on
 * this paravirtualised machine) while it is being timed. */
const latencies = new Map<number, Int32Array>();
const problems: string[] = [];
let deliveries = 0;

function problem(message: string): void {
  if (problems.length < 20) problems.push(message);
}

function send(reply: Reply): void {
  process.send!(reply);
}

// Every delivery has this shape (graphql-ws's message around the query's fields, in its order).
// Reading the three fields it needs by position spares a JSON.parse per message, most of this
// process's JavaScript: it shares the 2 cores with the API it measures. Anything else is parsed
// in full and judged there.
const NEXT_PREFIX = '{"id":"1","type":"next","payload":{"data":{"vmMetrics":{"vmId":"';
const AT = '","at":"';
const CPU_PERCENT = '","cpuPercent":';
const NEXT_END = '}}}}';

function onMessage(subscriber: Subscriber, position: number, data: Buffer): void {
  const now = Date.now();
  const text = data.toString('latin1');
  const idEnd = NEXT_PREFIX.length + subscriber.vmId.length;
  if (text.startsWith(NEXT_PREFIX) && text.startsWith(subscriber.vmId, NEXT_PREFIX.length) && text.startsWith(AT, idEnd) && text.endsWith(NEXT_END)) {
    const atStart = idEnd + AT.length;
    const atEnd = text.indexOf('"', atStart);
    if (text.startsWith(CPU_PERCENT, atEnd)) {
      const roundStart = atEnd + CPU_PERCENT.length;
      return delivered(subscriber, position, Number(text.slice(roundStart, text.indexOf(',', roundStart))), now - Date.parse(text.slice(atStart, atEnd)));
    }
  }
  const message = JSON.parse(data.toString());
  if (message.type !== 'next') {
    if (message.type !== 'pong' && message.type !== 'ping') problem(`subscriber ${subscriber.index}: ${data.toString().slice(0, 300)}`);
    return;
  }
  const sample = message.payload?.data?.vmMetrics;
  if (!sample || message.payload.errors) return problem(`subscriber ${subscriber.index}: ${data.toString().slice(0, 300)}`);
  if (sample.vmId !== subscriber.vmId) problem(`subscriber ${subscriber.index} of VM ${subscriber.vmId} got a sample of ${sample.vmId}`);
  delivered(subscriber, position, sample.cpuPercent, now - Date.parse(sample.at));
}

/** Counts a delivery of `round` (the publisher puts it in cpuPercent) and its publish-to-receive time. */
function delivered(subscriber: Subscriber, position: number, round: number, latencyMs: number): void {
  deliveries++;
  subscriber.samples++;
  let counts = received.get(round);
  if (!counts) received.set(round, (counts = new Uint8Array(subscribers.length)));
  let times = latencies.get(round);
  if (!times) latencies.set(round, (times = new Int32Array(subscribers.length)));
  if (counts[position]++ === 0) times[position] = latencyMs;
}

/** Connects, authenticates with the token and subscribes; resolves once the subscribe message is sent. */
function openSubscriber(url: string, token: string, index: number, vmId: string, position: number): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    let acked = false;
    const socket: BareWebSocket = new BareWebSocket(url, 'graphql-transport-ws', {
      open: () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authToken: token } })),
      text: (data) => {
        if (acked) return onMessage(subscriber, position, data);
        const message = JSON.parse(data.toString());
        if (message.type !== 'connection_ack') return reject(new Error(`subscriber ${index}: expected connection_ack, got ${data.toString().slice(0, 300)}`));
        acked = true;
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id: vmId } } }));
        resolve(subscriber);
      },
      closed: (code, reason, error) => {
        const why = `${error ? error.message : 'socket closed'} (${code} ${reason})`;
        if (!acked) reject(new Error(`subscriber ${index}: closed before connection_ack: ${why}`));
        else if (!closing) problem(`subscriber ${index}: ${why}`);
      },
    });
    const subscriber: Subscriber = { index, vmId, socket, samples: 0 };
  });
}

let closing = false;

async function open(command: Extract<Command, { type: 'open' }>): Promise<void> {
  const started = performance.now();
  const wsUrl = `${command.url.replace(/^http/, 'ws')}/graphql`;
  // Positions are fixed up front so the per-round arrays can be sized before the first delivery.
  subscribers.length = command.count;
  let next = 0;
  const worker = async () => {
    while (next < command.count) {
      const position = next++;
      const index = command.first + position;
      subscribers[position] = await openSubscriber(wsUrl, command.token, index, command.vmIds[index % command.vmIds.length], position);
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, command.count) }, worker));
  send({ type: 'opened', count: subscribers.length, ms: performance.now() - started });
}

function status(round: number | undefined): Reply {
  const counts = round === undefined ? undefined : received.get(round);
  let roundReceived = 0;
  if (counts) for (const c of counts) if (c > 0) roundReceived++;
  return {
    type: 'status',
    subscribers: subscribers.length,
    withSample: subscribers.filter((s) => s.samples > 0).length,
    roundReceived,
    deliveries,
    problems: [...problems],
  };
}

function report(rounds: number[]): Reply {
  let missing = 0;
  let duplicates = 0;
  const missingExamples: string[] = [];
  // One list of times per round asked for, in the order asked.
  const byRound: number[][] = [];
  for (const round of rounds) {
    const counts = received.get(round) ?? new Uint8Array(subscribers.length);
    const times = latencies.get(round);
    const list: number[] = [];
    byRound.push(list);
    counts.forEach((c, position) => {
      if (c > 0) list.push(times![position]);
      if (c === 0) {
        missing++;
        if (missingExamples.length < 10) missingExamples.push(`subscriber ${subscribers[position].index} (VM ${subscribers[position].vmId}) missed round ${round}`);
      }
      if (c > 1) duplicates += c - 1;
    });
  }
  return { type: 'report', latencies: byRound, missing, duplicates, missingExamples, problems: [...problems] };
}

process.on('message', (command: Command) => {
  if (command.type === 'open') {
    open(command).catch((error: Error) => send({ type: 'failed', error: error.message }));
  } else if (command.type === 'status') {
    send(status(command.round));
  } else if (command.type === 'report') {
    send(report(command.rounds));
  } else if (command.type === 'close') {
    closing = true;
    for (const s of subscribers) s?.socket.terminate();
    process.exit(0);
  }
});
// The bench process went away: nothing is left to report to.
process.on('disconnect', () => process.exit(0));
// An ordinary exit (not death by signal), so --cpu-prof in BENCH_FANOUT_CLIENT_FLAGS gets written.
process.on('SIGTERM', () => process.exit(0));
