/**
 * The part of a WebSocket the client core uses. The browser's `WebSocket` and the `ws` package's
 * both fit, so the same core runs in a page and in Electron's main process.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed (the WebSocket constants). */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Opens a WebSocket (browser: `new WebSocket(url, protocols)`; Node: the same with `ws`). */
export type CreateSocket = (url: string, protocols: string[]) => WebSocketLike;

/** `readyState` of an open socket. */
export const socketOpen = 1;
