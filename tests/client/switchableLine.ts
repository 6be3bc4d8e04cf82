import WebSocket from 'ws';
import type { WebSocketLike } from '../../common/client/ChatClient.ts';
import { cuttableSocket } from './clientHarness.ts';

/** A frame the client sent, as parsed JSON. */
export type SentFrame = { type: string; id?: string; clientId?: string; [key: string]: unknown };

/**
 * The client's network line for a test: real `ws` sockets that can be taken offline (the current
 * socket is cut, and new ones go to a closed port until the line is back online), recording every
 * frame the client sends. `cutAt`: the line is cut when a frame from the hub matches (that frame
 * is lost), once, as a network failure between the hub's answer and the client would.
 */
export class SwitchableLine {
  offline = false;
  readonly sent: SentFrame[] = [];
  private current: WebSocket | null = null;
  private cutAt: ((frame: string) => boolean) | null = null;

  constructor(offline = false) {
    this.offline = offline;
  }

  /** The frames of one request type the client sent. */
  frames(type: string): SentFrame[] {
    return this.sent.filter((f) => f.type === type);
  }

  /** Cuts the line and keeps it down until {@link goOnline}. */
  goOffline(): void {
    this.offline = true;
    this.current?.terminate();
  }

  /** New sockets reach the hub again (the client still waits for its back-off or notifyNetworkChange). */
  goOnline(): void {
    this.offline = false;
  }

  /** Loses the line once, at the first frame from the hub that matches. */
  cutOnce(match: (frame: string) => boolean): void {
    this.cutAt = match;
  }

  readonly createSocket = (url: string, protocols: string[]): WebSocketLike => {
    // Port 9 (discard) is closed here: the connection is refused at once, as with no network.
    const ws = new WebSocket(this.offline ? 'ws://127.0.0.1:9/' : url, protocols);
    this.current = ws;
    return cuttableSocket(ws, {
      cutsAt: (frame) => {
        if (!this.cutAt?.(frame)) return false;
        this.cutAt = null;
        return true;
      },
      onSend: (data) => {
        try {
          this.sent.push(JSON.parse(data) as SentFrame);
        } catch {
          // not JSON: not ours to record
        }
      },
    });
  };
}
