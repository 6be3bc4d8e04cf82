import WebSocket from 'ws';
import { subprotocolFor, tokenSubprotocolPrefix } from '../common/protocol/version.ts';

/** An error reply from the hub. */
export class ProtoError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** A minimal request/response protocol client (the orchestrator's writer, setup steps). */
export class ProtoClient {
  private nextId = 1;
  private readonly pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void }>();
  /** The hello frame. */
  hello!: { lastSeq: number; conversations: { id: number; kind: string }[]; me: { id: number } };

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as {
        type: string;
        id?: string;
        result?: unknown;
        code?: string;
        message?: string;
      };
      if (f.type !== 'result' && f.type !== 'error') return;
      const p = this.pending.get(f.id!);
      if (!p) return;
      this.pending.delete(f.id!);
      if (f.type === 'result') p.resolve(f.result);
      else p.reject(new ProtoError(f.code!, f.message!));
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new ProtoError('closed', 'socket closed'));
      this.pending.clear();
    });
  }

  /** Opens a socket with a token and waits for hello. */
  static open(wsUrl: string, token: string): Promise<ProtoClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, [subprotocolFor(1), tokenSubprotocolPrefix + token], {
        perMessageDeflate: false,
      });
      const client = new ProtoClient(ws);
      ws.once('message', (data) => {
        client.hello = JSON.parse(data.toString()) as ProtoClient['hello'];
        resolve(client);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  /** Sends a request; resolves with its result, rejects with {@link ProtoError}. */
  request<T>(type: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ type, id, ...params }));
    });
  }

  /** Closes and waits for the close. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
    });
  }
}
