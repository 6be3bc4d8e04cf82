import WebSocket from 'ws';
import { parseServerFrame, type ServerFrame } from '../../common/protocol/serverFrame.ts';
import { subprotocolFor, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';

/**
 * A socket for hostile input: sends anything (text, raw bytes, binary), and records every
 * reply by id (with null-id errors counted apart) and whether each frame the hub sent matches the
 * protocol's schema.
 */
export class RawSocket {
  /** Replies by request id. */
  readonly replies = new Map<string, ServerFrame[]>();
  nullIdErrors = 0;
  /** Frames from the hub that do not match the protocol schema. */
  readonly invalid: string[] = [];
  framesIn = 0;
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.framesIn++;
      const text = data.toString();
      const frame = parseServerFrame(JSON.parse(text));
      if (!frame) {
        this.invalid.push(text.slice(0, 200));
        return;
      }
      if (frame.type === 'result' || frame.type === 'error') {
        if (frame.id === null) this.nullIdErrors++;
        else {
          const list = this.replies.get(frame.id);
          if (list) list.push(frame);
          else this.replies.set(frame.id, [frame]);
        }
      }
      for (const l of this.listeners) l();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        for (const l of this.listeners) l();
        resolve(code);
      }),
    );
    ws.on('error', () => undefined);
  }

  /** Opens a signed-in socket and waits for hello. */
  static open(wsUrl: string, token: string): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, [subprotocolFor(1), tokenSubprotocolPrefix + token], {
        perMessageDeflate: false,
        maxPayload: 16 * 1024 * 1024,
      });
      const socket = new RawSocket(ws);
      ws.once('message', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends text, or bytes in a text frame (`binary: false`), or a binary frame. */
  send(data: string | Buffer, binary = false): void {
    if (this.open) this.ws.send(data, { binary });
  }

  /** Waits until `done()` holds, the socket closes, or the timeout passes; resolves with done(). */
  waitUntil(done: () => boolean, timeoutMs = 10_000): Promise<boolean> {
    if (done() || !this.open) return Promise.resolve(done());
    return new Promise((resolve) => {
      const check = () => {
        if (done() || !this.open) finish();
      };
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(done());
      };
      const timer = setTimeout(finish, timeoutMs);
      this.listeners.add(check);
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
