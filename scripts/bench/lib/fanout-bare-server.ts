// The fan-out benchmark's baseline: the least a server can do to fan samples out to the same
// graphql-transport-ws subscribers. It hears the samples through Redis as Hangar does, serialises
// each once, and writes it as one frame to each subscriber's TCP stream, all in one go; no
// GraphQL, no authorization, no slicing, no slow-socket handling. Run in the same benchmark, its
// p99 is this machine's floor for the figure. Env: REDIS_URL, HANGAR_REDIS_CHANNEL_PREFIX; prints
// {"url": …} once listening (startServer).
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { WebSocketServer } from 'ws';
import type { VmSample } from '../../../server/events/samples.ts';
import { createEventBus } from '../../../server/events/pubsub.ts';
import { textFrame } from '../../../server/http/ws-frame.ts';

const PROTOCOL = 'graphql-transport-ws';
const CLOSE_BRACE = Buffer.from('}');

interface Subscriber {
  stream: Duplex;
  /** `{"id":…,"type":"next","payload":` for its subscription. */
  prefix: Buffer;
}

const bus = createEventBus(process.env.REDIS_URL, undefined, process.env.HANGAR_REDIS_CHANNEL_PREFIX);
/** VM id → its subscribers; the first subscriber of a VM starts listening for its samples. */
const byVm = new Map<string, Subscriber[]>();

async function listen(vmId: string, subscribers: Subscriber[]): Promise<void> {
  for await (const sample of bus.pubsub.subscribe('metrics:vm', vmId) as AsyncIterable<VmSample>) {
    // The fields the benchmark's subscription selects, in its order.
    const payload = Buffer.from(
      JSON.stringify({
        data: {
          vmMetrics: {
            vmId: encodeGlobalID('Vm', vmId),
            at: new Date(sample.at).toISOString(),
            cpuPercent: sample.cpuPercent,
            memoryUsedBytes: sample.memoryUsedBytes,
            diskReadBytesPerSecond: sample.diskReadBytesPerSecond,
            netRxBytesPerSecond: sample.netRxBytesPerSecond,
          },
        },
      }),
    );
    for (const { stream, prefix } of subscribers) if (stream.writable) stream.write(textFrame([prefix, payload, CLOSE_BRACE]));
  }
}

const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false) });
const http = createServer();
http.on('upgrade', (req, stream, head) => {
  wss.handleUpgrade(req, stream, head, (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'connection_init') return socket.send(JSON.stringify({ type: 'connection_ack' }));
      if (message.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
      if (message.type !== 'subscribe') return;
      const { typename, id: vmId } = decodeGlobalID(String(message.payload?.variables?.id));
      if (typename !== 'Vm') return socket.close(4400, 'not a VM id');
      let subscribers = byVm.get(vmId);
      if (!subscribers) {
        byVm.set(vmId, (subscribers = []));
        void listen(vmId, subscribers);
      }
      subscribers.push({ stream, prefix: Buffer.from(`{"id":${JSON.stringify(message.id)},"type":"next","payload":`) });
    });
  });
});
http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = http.address() as { address: string; port: number };
  process.stdout.write(`${JSON.stringify({ url: `http://${address}:${port}` })}\n`);
});
const stop = () => {
  for (const socket of wss.clients) socket.terminate();
  void bus.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
