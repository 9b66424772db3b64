// The fan-out benchmark's bare WebSocket client against a real ws server: messages of each length
// encoding both ways, fragmented messages, ping/pong, the closing handshake, a refused protocol,
// and frames that arrive a byte at a time. A test that waits in vain fails on its timeout.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { BareWebSocket } from '../../scripts/bench/lib/websocket-client.ts';

const PROTOCOL = 'graphql-transport-ws';
let http: Server;
let wss: WebSocketServer;
let base: string;
/** What the next upgrade request gets: a ws connection, or the raw stream for a hand-written reply. */
const upgrades: Array<{ ws: (socket: WebSocket) => void } | { raw: (stream: Duplex, key: string) => void }> = [];

before(async () => {
  http = createServer();
  wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false) });
  http.on('upgrade', (req, stream, head) => {
    const next = upgrades.shift()!;
    if ('raw' in next) return next.raw(stream, String(req.headers['sec-websocket-key']));
    wss.handleUpgrade(req, stream, head, (socket) => next.ws(socket));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `ws://127.0.0.1:${(http.address() as { port: number }).port}`;
});

after(async () => {
  for (const client of wss.clients) client.terminate();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

/** A bare client that collects its messages as strings, and the server's side of it. */
async function connect(protocol = PROTOCOL) {
  const server = new Promise<WebSocket>((resolve) => upgrades.push({ ws: resolve }));
  const messages: string[] = [];
  let onMessage = () => {};
  let resolveClosed!: (how: { code: number; reason: string; error: Error | null }) => void;
  const closed = new Promise<{ code: number; reason: string; error: Error | null }>((resolve) => (resolveClosed = resolve));
  let resolveOpened!: () => void;
  const opened = new Promise<void>((resolve) => (resolveOpened = resolve));
  const client = new BareWebSocket(`${base}/graphql`, protocol, {
    open: resolveOpened,
    text: (data) => {
      messages.push(data.toString());
      onMessage();
    },
    closed: (code, reason, error) => resolveClosed({ code, reason, error }),
  });
  const until = (n: number) => new Promise<void>((resolve) => (messages.length >= n ? resolve() : (onMessage = () => messages.length >= n && resolve())));
  return { client, server, opened, closed, messages, until };
}

/** Multi-byte text `bytes` long in UTF-8, so lengths are checked in bytes. */
const textOf = (bytes: number) => 'é'.repeat(Math.floor(bytes / 2)) + 'x'.repeat(bytes % 2);

test('messages of every length encoding arrive whole both ways', { timeout: 10_000 }, async () => {
  const { client, server, opened, messages, until } = await connect();
  const socket = await server;
  await opened;
  assert.equal(socket.protocol, PROTOCOL);
  const sizes = [0, 1, 125, 126, 65_535, 65_536, 200_000];
  for (const size of sizes) socket.send(textOf(size));
  await until(sizes.length);
  assert.deepEqual(messages.map((m) => Buffer.byteLength(m)), sizes);
  assert.deepEqual(messages, sizes.map(textOf));

  const received: string[] = [];
  const allReceived = new Promise<void>((resolve) => socket.on('message', (data) => received.push(data.toString()) === sizes.length && resolve()));
  for (const size of sizes) client.send(textOf(size));
  await allReceived;
  assert.deepEqual(received, sizes.map(textOf));
  client.terminate();
});

test('a fragmented message arrives as one; a ping is answered with its payload', { timeout: 10_000 }, async () => {
  const { client, server, opened, messages, until } = await connect();
  const socket = await server;
  await opened;
  socket.send('first half, ', { fin: false });
  socket.send('second half', { fin: true });
  socket.send('whole');
  await until(2);
  assert.deepEqual(messages, ['first half, second half', 'whole']);
  const pong = new Promise<string>((resolve) => socket.once('pong', (data) => resolve(data.toString())));
  socket.ping('are you there');
  assert.equal(await pong, 'are you there');
  client.terminate();
});

test('a close from the server is answered and reported with its code and reason', { timeout: 10_000 }, async () => {
  const { server, opened, closed } = await connect();
  const socket = await server;
  await opened;
  const serverSaw = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.close(4400, 'going away now');
  assert.deepEqual(await closed, { code: 4400, reason: 'going away now', error: null });
  assert.equal(await serverSaw, 4400);
});

test('a server that does not choose the protocol asked for is refused', { timeout: 10_000 }, async () => {
  const { opened, closed } = await connect('another-protocol');
  let wasOpened = false;
  void opened.then(() => (wasOpened = true));
  const how = await closed;
  assert.match(how.error?.message ?? '', /protocol/);
  assert.equal(wasOpened, false);
});

test('a handshake and frames that arrive a byte at a time are put together', { timeout: 10_000 }, async () => {
  const accept = (key: string) => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  upgrades.push({
    raw: async (stream, key) => {
      stream.on('error', () => {}); // the client ends with a reset (terminate)
      const reply = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\nSec-WebSocket-Protocol: ${PROTOCOL}\r\n\r\n`;
      const long = Buffer.from(textOf(300));
      const frames = Buffer.concat([Buffer.from([0x81, 2]), Buffer.from('hi'), Buffer.from([0x81, 126, long.length >> 8, long.length & 0xff]), long]);
      for (const part of [Buffer.from(reply.slice(0, 20)), Buffer.from(reply.slice(20))]) {
        stream.write(part);
        await sleep(5);
      }
      for (const byte of frames.subarray(0, 12)) {
        stream.write(Buffer.from([byte]));
        await sleep(2);
      }
      stream.write(frames.subarray(12));
    },
  });
  const messages: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const client = new BareWebSocket(`${base}/graphql`, PROTOCOL, {
      open: () => {},
      text: (data) => {
        messages.push(data.toString());
        if (messages.length === 2) {
          client.terminate();
          resolve();
        }
      },
      closed: (_code, _reason, error) => error && reject(error),
    });
  });
  await done;
  assert.deepEqual(messages, ['hi', textOf(300)]);
});
