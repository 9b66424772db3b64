// A bare WebSocket client (RFC 6455) for the fan-out benchmark's subscriber process, which shares the
// machine's 2 cores with the API it measures. Through `ws`, each message went through a Readable,
// a Writable (ws's Receiver) and two event emitters: about 10 µs of the subscriber's JavaScript per
// message, as much CPU as the API spent sending it. Here the socket reads into one buffer shared by
// every socket (net's `onread`) and frames are parsed in place: a text message is handed over as a
// view of that buffer, valid only during the call.
//
// Enough for a graphql-transport-ws subscriber: text messages (fragmented ones too), ping answered
// with pong, close; anything else from the server (a masked or binary frame, reserved bits, a bad
// handshake) ends the connection with an error.
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

// Every socket reads into this: the callback parses what arrived before the next read can happen.
const readBuffer = Buffer.allocUnsafe(256 * 1024);

export interface WebSocketHandlers {
  /** The handshake is done: messages may be sent. */
  open(): void;
  /** A whole text message, as a view of a shared buffer: copy what must outlive the call. */
  text(data: Buffer): void;
  /** The connection is gone (closed by either side, or failed); called once. */
  closed(code: number, reason: string, error: Error | null): void;
}

export class BareWebSocket {
  private readonly socket: Socket;
  private readonly key = randomBytes(16).toString('base64');
  private readonly protocol: string;
  private readonly handlers: WebSocketHandlers;
  private handshaking = true;
  /** Bytes of an incomplete handshake response or frame, copied out of the shared read buffer. */
  private pending: Buffer | null = null;
  /** The parts so far of a fragmented text message. */
  private fragments: Buffer[] | null = null;
  private ended = false;

  constructor(url: string, protocol: string, handlers: WebSocketHandlers) {
    const { hostname, port, pathname, search } = new URL(url);
    this.protocol = protocol;
    this.handlers = handlers;
    this.socket = connect({ host: hostname, port: Number(port || 80), noDelay: true, onread: { buffer: readBuffer, callback: (n) => this.received(readBuffer.subarray(0, n)) } });
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
      );
    });
    this.socket.on('error', (error) => this.end(1006, '', error));
    this.socket.on('close', () => this.end(1006, '', this.handshaking ? new Error('connection closed during the handshake') : null));
  }

  /** Sends a text message (masked, as a client must). */
  send(text: string): void {
    this.socket.write(frame(OPCODE.text, Buffer.from(text)));
  }

  /**
   * Drops the connection at once with a TCP reset, without a closing handshake. A plain close would
   * leave the socket in TIME_WAIT for a minute: the 10,000 a benchmark run leaves behind made the
   * API's writes in the next runs' rounds cost up to twice the CPU, in the kernel.
   */
  terminate(): void {
    this.socket.resetAndDestroy();
  }

  private received(chunk: Buffer): boolean {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    if (this.handshaking) {
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) {
        if (data.length > 16 * 1024) this.fail('handshake response too long');
        else this.pending = Buffer.from(data);
        return true;
      }
      const problem = this.handshakeProblem(data.toString('latin1', 0, end));
      if (problem) return this.fail(problem), true;
      this.handshaking = false;
      data = data.subarray(end + 4);
      this.handlers.open();
    }
    let offset = 0;
    while (!this.ended && data.length - offset >= 2) {
      const first = data[offset];
      const second = data[offset + 1];
      if (second & 0x80) return this.fail('masked frame from the server'), true;
      let length = second & 0x7f;
      let header = 2;
      if (length === 126) {
        if (data.length - offset < 4) break;
        length = data.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (data.length - offset < 10) break;
        const big = data.readBigUInt64BE(offset + 2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return this.fail(`frame of ${big} bytes`), true;
        length = Number(big);
        header = 10;
      }
      if (data.length - offset < header + length) break;
      this.frameReceived(first, data.subarray(offset + header, offset + header + length));
      offset += header + length;
    }
    // The rest is an incomplete frame: keep a copy, the read buffer is shared.
    if (!this.ended && offset < data.length) this.pending = Buffer.from(data.subarray(offset));
    return true;
  }

  private frameReceived(first: number, payload: Buffer): void {
    const fin = (first & 0x80) !== 0;
    const opcode = first & 0x0f;
    if (first & 0x70) return this.fail('reserved bits set (no extension was negotiated)');
    if (opcode === OPCODE.text || opcode === OPCODE.continuation) {
      if ((opcode === OPCODE.text) === (this.fragments !== null)) return this.fail(opcode === OPCODE.text ? 'text frame inside a fragmented message' : 'continuation frame without a message');
      if (fin && !this.fragments) return this.handlers.text(payload);
      (this.fragments ??= []).push(Buffer.from(payload));
      if (this.fragments.reduce((sum, part) => sum + part.length, 0) > MAX_MESSAGE_BYTES) return this.fail('message too long');
      if (!fin) return;
      const message = Buffer.concat(this.fragments);
      this.fragments = null;
      return this.handlers.text(message);
    }
    if (!fin) return this.fail('fragmented control frame');
    if (opcode === OPCODE.ping) {
      this.socket.write(frame(OPCODE.pong, payload));
    } else if (opcode === OPCODE.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      const reason = payload.length > 2 ? payload.toString('utf8', 2) : '';
      this.socket.end(frame(OPCODE.close, payload.subarray(0, 2)));
      this.end(code, reason, null);
    } else if (opcode !== OPCODE.pong) {
      this.fail(opcode === OPCODE.binary ? 'binary message' : `unknown opcode ${opcode}`);
    }
  }

  private handshakeProblem(head: string): string | null {
    const [status, ...lines] = head.split('\r\n');
    if (!/^HTTP\/1\.1 101 /.test(status)) return `handshake refused: ${status}`;
    const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const accept = createHash('sha1').update(this.key + GUID).digest('base64');
    if (headers.get('upgrade')?.toLowerCase() !== 'websocket') return 'handshake without Upgrade: websocket';
    if (headers.get('sec-websocket-accept') !== accept) return 'handshake with a wrong Sec-WebSocket-Accept';
    if (headers.get('sec-websocket-protocol') !== this.protocol) return `server chose protocol ${headers.get('sec-websocket-protocol') ?? '(none)'}`;
    if (headers.has('sec-websocket-extensions')) return 'server chose extensions, none were offered';
    return null;
  }

  private fail(problem: string): void {
    this.socket.destroy();
    this.end(1002, '', new Error(problem));
  }

  private end(code: number, reason: string, error: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.pending = null;
    this.fragments = null;
    this.handlers.closed(code, reason, error);
  }
}

/** One masked frame holding `payload`. */
function frame(opcode: number, payload: Buffer): Buffer {
  const header = payload.length <= 125 ? 2 : payload.length <= 0xffff ? 4 : 10;
  const out = Buffer.allocUnsafe(header + 4 + payload.length);
  out[0] = 0x80 | opcode;
  if (header === 2) {
    out[1] = 0x80 | payload.length;
  } else if (header === 4) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(payload.length, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, header);
  for (let i = 0; i < payload.length; i++) out[header + 4 + i] = payload[i] ^ mask[i & 3];
  return out;
}
