// A subscriber that stops reading must cost the server one sample, not a backlog: the API holds the
// latest sample per subscription and sends it when the socket drains (Postgres and Redis, as in
// production; the API runs in this process, so its heap can be weighed).
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, test } from 'node:test';
import { encodeGlobalID } from '@pothos/plugin-relay';
import WebSocket from 'ws';
import type { VmSample } from '../../server/events/samples.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';

const SAMPLES = 20_000;
const FIELDS = 'vmId at cpuPercent memoryUsedBytes memoryAvailableBytes diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond disks { name readBytesPerSecond writeBytesPerSecond readOpsPerSecond writeOpsPerSecond } nics { name rxBytesPerSecond txBytesPerSecond rxPacketsPerSecond txPacketsPerSecond }';

// A full collection before each weighing, so garbage does not pass for growth.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** A sample of about 1 KB as a message; its sequence number rides in cpuPercent. */
function sampleOf(vmId: string, seq: number): VmSample {
  const disks = Array.from({ length: 4 }, (_, i) => ({ name: `vd${String.fromCharCode(97 + i)}`, readBytesPerSecond: 1_000_000 + seq, writeBytesPerSecond: 2_000_000 + seq, readOpsPerSecond: 100.5, writeOpsPerSecond: 200.25 }));
  const nics = Array.from({ length: 4 }, (_, i) => ({ name: `vnet${i}`, rxBytesPerSecond: 3_000_000 + seq, txBytesPerSecond: 4_000_000 + seq, rxPacketsPerSecond: 300.5, txPacketsPerSecond: 400.25 }));
  return {
    vmId,
    hostId: '00000000-0000-0000-0000-000000000000',
    at: Date.now(),
    cpuPercent: seq,
    memoryUsedBytes: 1_073_741_824 + seq,
    memoryAvailableBytes: 2_147_483_648,
    diskReadBytesPerSecond: 4_000_000 + seq,
    diskWriteBytesPerSecond: 8_000_000 + seq,
    diskReadOpsPerSecond: 400,
    diskWriteOpsPerSecond: 800,
    netRxBytesPerSecond: 12_000_000 + seq,
    netTxBytesPerSecond: 16_000_000 + seq,
    netRxPacketsPerSecond: 1200,
    netTxPacketsPerSecond: 1600,
    disks,
    nics,
  };
}

/** A graphql-transport-ws subscriber on a raw `ws` socket, so its reading can be paused. */
async function rawSubscriber(url: string, cookie: string, query: string, variables: Record<string, unknown>) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers: { cookie }, perMessageDeflate: false });
  const received: Array<{ seq: number; bytes: number }> = [];
  const problems: string[] = [];
  let waiter: (() => void) | null = null;
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        return resolve();
      }
      if (message.type !== 'next' || message.payload.errors) problems.push(data.toString().slice(0, 500));
      else received.push({ seq: message.payload.data.vmMetrics.cpuPercent, bytes: data.length });
      waiter?.();
    });
    socket.on('close', (code, reason) => problems.push(`closed ${code} ${reason.toString()}`));
  });
  return {
    socket,
    received,
    problems,
    /** Waits until a sample with this sequence number or a later one has arrived. */
    async upTo(seq: number, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!received.some((r) => r.seq >= seq)) {
        assert.deepEqual(problems, []);
        if (Date.now() > deadline) throw new Error(`sample ${seq} did not arrive within ${timeoutMs} ms (last: ${received.at(-1)?.seq})`);
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

describe('a slow vmMetrics subscriber gets coalesced samples (Postgres, Redis)', () => {
  let t: TestHangar;
  let cookie = '';
  let vmId = '';
  let vmGlobalId = '';

  before(async () => {
    t = await startTestHangar('postgres', {}, { processes: ['api'] });
    cookie = await setupAdmin(t);
    const owner = await t.hangar.db.selectFrom('users').select('id').executeTakeFirstOrThrow();
    const now = new Date();
    const vm = await t.hangar.db
      .insertInto('vms')
      .values({ name: 'busy-dashboard', owner_id: owner.id, vcpus: 2, memory_mb: 2048, disk_gb: 20, state: 'running', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    vmId = vm.id;
    vmGlobalId = encodeGlobalID('Vm', vmId);
  });

  after(async () => {
    await t?.stop();
  });

  test('a paused socket gets the newest sample when it reads again, the server holding no backlog meanwhile; one reading the same samples is not held back', async () => {
    const query = `subscription($id: ID!) { vmMetrics(id: $id) { ${FIELDS} } }`;
    // The same subscription by the same user: the server executes it once per sample for both.
    // The slow one subscribes first, so the results they share come from its subscription.
    const slow = await rawSubscriber(t.url, cookie, query, { id: vmGlobalId });
    const fast = await rawSubscriber(t.url, cookie, query, { id: vmGlobalId });
    // The subscriptions are live once a sample gets through to both.
    let seq = 0;
    const probe = setInterval(() => t.hangar.bus.pubsub.publish('metrics:vm', vmId, sampleOf(vmId, ++seq)), 100);
    try {
      await slow.upTo(1, 10_000);
      await fast.upTo(1, 10_000);
    } finally {
      clearInterval(probe);
    }
    // Warm up every path a sample takes (compiled code counts in the heap too) with both reading.
    const warm = seq + 2000;
    for (seq++; seq <= warm; seq++) t.hangar.bus.pubsub.publish('metrics:vm', vmId, sampleOf(vmId, seq));
    seq = warm;
    await slow.upTo(warm);
    await fast.upTo(warm);
    await sleep(300);
    const messageBytes = slow.received.at(-1)!.bytes;
    assert.ok(messageBytes > 900, `a message is ${messageBytes} bytes`);
    const slowBefore = slow.received.length;
    const fastBefore = fast.received.length;

    // Everything published reaches this process (a second, prompt listener counts it), while the
    // paused client lets the kernel's buffers fill.
    const first = seq + 1;
    const last = seq + SAMPLES;
    const listener = t.hangar.bus.pubsub.subscribe('metrics:vm', vmId);
    const heard = (async () => {
      for await (const sample of listener) if (sample.cpuPercent === last) return;
    })();
    const slowSocket = (slow.socket as unknown as { _socket: import('node:net').Socket })._socket;
    slowSocket.pause();
    const heapBefore = heapAfterGc();
    for (seq = first; seq <= last; seq++) t.hangar.bus.pubsub.publish('metrics:vm', vmId, sampleOf(vmId, seq));
    seq = last;
    await within(heard, 60_000, `sample ${last} did not reach the API process within 60 s`);
    await listener.return();
    await fast.upTo(last);
    // A backlog would stay while the client is paused; what is merely in flight (the publisher's
    // replies, Redis buffers) goes within a second or two. So the least growth over a few seconds.
    let growth = Infinity;
    for (let i = 0; i < 6; i++) {
      await sleep(500);
      growth = Math.min(growth, heapAfterGc() - heapBefore);
    }
    const backlog = SAMPLES * messageBytes;
    assert.ok(growth < backlog / 10, `the heap grew by ${(growth / 1024 ** 2).toFixed(1)} MB while ${(backlog / 1024 ** 2).toFixed(1)} MB of samples waited`);

    slowSocket.resume();
    await slow.upTo(last);
    await sleep(300);
    for (const [sub, before] of [[slow, slowBefore], [fast, fastBefore]] as const) {
      const seqs = sub.received.slice(before).map((r) => r.seq);
      assert.equal(seqs.at(-1), last, 'the last sample sent is the last one published');
      assert.ok(
        seqs.every((s, i) => i === 0 || s > seqs[i - 1]),
        'samples arrive in order, none twice',
      );
      assert.deepEqual(sub.problems, []);
    }
    // The slow one got what the kernel's socket buffers held, and the newest: a few dozen here, not thousands.
    const slowGot = slow.received.length - slowBefore;
    assert.ok(slowGot < SAMPLES / 4, `${slowGot} of ${SAMPLES} samples were sent to the paused socket: the rest should have been skipped`);

    // Caught up, both get each new sample again.
    for (let i = 1; i <= 3; i++) {
      t.hangar.bus.pubsub.publish('metrics:vm', vmId, sampleOf(vmId, last + i));
      await slow.upTo(last + i, 5_000);
      await fast.upTo(last + i, 5_000);
    }
    for (const sub of [slow, fast]) {
      assert.deepEqual(
        sub.received.slice(-3).map((r) => r.seq),
        [last + 1, last + 2, last + 3],
      );
      sub.socket.close();
    }
  });
});
