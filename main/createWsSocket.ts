import WebSocket from 'ws';
import type { CreateSocket, WebSocketLike } from '../common/client/WebSocketLike.ts';

/** Largest frame the desktop client accepts from a hub (a sync page of messages fits easily). */
const maxPayload = 8 * 1024 * 1024;

/**
 * The client core's WebSocket in Electron's main process: the `ws` package, without compression
 * (memory and compression side channels), with a bounded payload and handshake time. `ws` sends
 * no Origin header, so the hub's browser-origin check does not apply to the app.
 */
export const createWsSocket: CreateSocket = (url, protocols) =>
  new WebSocket(url, protocols, {
    perMessageDeflate: false,
    maxPayload,
    handshakeTimeout: 15_000,
    followRedirects: false,
  }) as unknown as WebSocketLike;
