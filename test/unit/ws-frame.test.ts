// Frames written straight to a socket's TCP stream (shared subscriptions) must read, in order, as
// ordinary messages in a real ws client, at each of the three length encodings.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { test } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from '../../server/http/ws-frame.ts';

test('a hand-built text frame reads as one message, between messages ws sends itself', async () => {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const accepted = new Promise<{ ws: WebSocket; stream: Duplex }>((resolve) => {
    http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, stream: socket })));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  const received: string[] = [];
  const expected: string[] = [];
  const sizes = [0, 1, 125, 126, 65_535, 65_536, 200_000];
  const allArrived = new Promise<void>((resolve) => {
    client.on('message', (data, isBinary) => {
      assert.equal(isBinary, false);
      received.push(data.toString());
      if (received.length === sizes.length * 2) resolve();
    });
  });
  try {
    const { ws, stream } = await accepted;
    for (const size of sizes) {
      // Multi-byte characters: the frame's length is in bytes.
      const text = 'é'.repeat(Math.floor(size / 2)) + 'x'.repeat(size % 2);
      const [head, tail] = [Buffer.from(text.slice(0, text.length >> 1)), Buffer.from(text.slice(text.length >> 1))];
      stream.write(textFrame([head, tail]));
      ws.send(`after ${size}`);
      expected.push(text, `after ${size}`);
    }
    await allArrived;
    assert.equal(received.length, expected.length);
    received.forEach((message, i) => assert.equal(message, expected[i], `message ${i}`));
  } finally {
    client.terminate();
    wss.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }
});
