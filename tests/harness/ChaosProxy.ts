import net from 'node:net';

/** One client connection through the proxy and its upstream to the hub. */
interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Hub → client bytes not yet split into whole WebSocket frames. */
  pending: Buffer;
  /** The HTTP upgrade response has been passed; from here on the stream is WebSocket frames. */
  upgraded: boolean;
}

/**
 * A TCP proxy on 127.0.0.1 between clients and the hub that misbehaves on request: cuts every
 * connection, black-holes traffic for a while (holds it, as a stalled network does), or drops only
 * the hub's acknowledgements of `send` (it parses the hub's unmasked WebSocket frames), so clients
 * must resend and the hub must deduplicate.
 */
export class ChaosProxy {
  private readonly pairs = new Set<Pair>();
  private holding = false;
  /** Drop `result` frames that answer a `send` (they carry `"result":{"message":`). */
  dropAcks = false;
  droppedAcks = 0;
  cuts = 0;
  connections = 0;

  private constructor(
    private readonly server: net.Server,
    private readonly target: () => number,
  ) {}

  /** Starts a proxy to the port `target()` returns (read on every new connection). */
  static async start(target: () => number): Promise<ChaosProxy> {
    const server = net.createServer();
    const proxy = new ChaosProxy(server, target);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** Destroys every connection at once (both sides see a reset). */
  cutAll(): number {
    const n = this.pairs.size;
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    this.pairs.clear();
    this.cuts += n;
    return n;
  }

  /** Holds all traffic, existing and new connections, for `ms`; then lets it flow again. */
  async blackhole(ms: number): Promise<void> {
    this.holding = true;
    for (const p of this.pairs) {
      p.client.pause();
      p.upstream.pause();
    }
    await new Promise((r) => setTimeout(r, ms));
    this.holding = false;
    for (const p of this.pairs) {
      p.client.resume();
      p.upstream.resume();
    }
  }

  /** Stops accepting and cuts everything. */
  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.connections++;
    const upstream = net.connect(this.target(), '127.0.0.1');
    const pair: Pair = { client, upstream, pending: Buffer.alloc(0), upgraded: false };
    this.pairs.add(pair);
    if (this.holding) {
      client.pause();
      upstream.pause();
    }
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    client.on('data', (chunk: Buffer) => {
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => !this.holding && client.resume());
    client.on('drain', () => !this.holding && upstream.resume());
    upstream.on('data', (chunk: Buffer) => this.fromHub(pair, chunk));
  }

  /** Passes hub → client bytes, frame by frame once upgraded, dropping send acknowledgements if asked. */
  private fromHub(pair: Pair, chunk: Buffer): void {
    let buf = pair.pending.length > 0 ? Buffer.concat([pair.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    if (!pair.upgraded) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        pair.pending = buf;
        return;
      }
      out.push(buf.subarray(0, end + 4));
      buf = buf.subarray(end + 4);
      pair.upgraded = true;
    }
    for (;;) {
      const frame = frameLength(buf);
      if (frame === undefined || buf.length < frame.total) break;
      const bytes = buf.subarray(0, frame.total);
      buf = buf.subarray(frame.total);
      if (this.dropAcks && frame.opcode === 1 && isSendAck(bytes.subarray(frame.header))) {
        this.droppedAcks++;
        continue;
      }
      out.push(bytes);
    }
    pair.pending = Buffer.from(buf);
    if (out.length > 0 && !pair.client.write(out.length === 1 ? out[0]! : Buffer.concat(out))) pair.upstream.pause();
  }
}

/** Header and total length of the (unmasked, server-sent) WebSocket frame at the start of `buf`. */
function frameLength(buf: Buffer): { opcode: number; header: number; total: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let header = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    header = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    header = 10;
  }
  if (masked) header += 4;
  return { opcode, header, total: header + len };
}

const ackPrefix = Buffer.from('{"type":"result"');
const ackMarker = Buffer.from('"result":{"message":');

function isSendAck(payload: Buffer): boolean {
  return payload.subarray(0, ackPrefix.length).equals(ackPrefix) && payload.includes(ackMarker);
}
