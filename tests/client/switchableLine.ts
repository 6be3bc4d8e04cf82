import WebSocket from 'ws';
import type { WebSocketLike } from '../../common/client/ChatClient.ts';

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
    let dead = false;
    // The handlers below are the wrapper's accessors: `this` there is the wrapper, not the line.
    const cutAt = () => this.cutAt;
    const cutDone = () => {
      this.cutAt = null;
    };
    return {
      get readyState() {
        return ws.readyState;
      },
      send: (data: string) => {
        try {
          this.sent.push(JSON.parse(data) as SentFrame);
        } catch {
          // not JSON: not ours to record
        }
        ws.send(data);
      },
      close: (code?: number, reason?: string) => ws.close(code, reason),
      set onopen(h: WebSocketLike['onopen']) {
        ws.onopen = h;
      },
      get onopen() {
        return null;
      },
      set onclose(h: WebSocketLike['onclose']) {
        ws.onclose = h as WebSocket['onclose'];
      },
      get onclose() {
        return null;
      },
      set onerror(h: WebSocketLike['onerror']) {
        ws.onerror = h;
      },
      get onerror() {
        return null;
      },
      set onmessage(h: WebSocketLike['onmessage']) {
        ws.onmessage = (ev) => {
          if (dead) return;
          const cut = cutAt();
          if (cut && cut(String(ev.data))) {
            cutDone();
            dead = true;
            ws.terminate();
            return;
          }
          h?.(ev);
        };
      },
      get onmessage() {
        return null;
      },
    } as WebSocketLike;
  };
}
