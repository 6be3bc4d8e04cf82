// The cost floor the hub is compared with: a plain `ws` server that relays the same frames to the
// same audiences, with in-memory membership and nothing else — no auth, no validation, no storage.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Who is in which conversation; the general room is everyone connected. */
export interface RelayMembership {
  general: number;
  conversations: [conversationId: number, userIds: number[]][];
}

/** A running bare relay. */
export interface BareRelay {
  port: number;
  close(): Promise<void>;
}

/** Starts the bare relay on 127.0.0.1. */
export async function startBareRelay(membership: RelayMembership, port = 0): Promise<BareRelay> {
  const members = new Map(membership.conversations);
  const sockets = new Map<number, Set<WebSocket>>();
  const all = new Set<WebSocket>();
  let seq = 0;
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, maxPayload: 64 * 1024 });

  const toUsers = (userIds: Iterable<number>, data: string, except?: number) => {
    for (const id of userIds) {
      if (id === except) continue;
      const set = sockets.get(id);
      if (set) for (const ws of set) ws.send(data);
    }
  };
  const toAll = (data: string) => {
    for (const ws of all) ws.send(data);
  };

  wss.on('connection', (ws, req) => {
    const userId = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('user'));
    let set = sockets.get(userId);
    if (!set) sockets.set(userId, (set = new Set()));
    set.add(ws);
    all.add(ws);
    ws.on('close', () => {
      set.delete(ws);
      all.delete(ws);
    });
    ws.send(JSON.stringify({ type: 'hello', lastSeq: seq }));
    ws.on('message', (raw) => {
      const f = JSON.parse(raw.toString()) as Record<string, unknown> & { type: string; id: string };
      const conversationId = f.conversationId as number;
      switch (f.type) {
        case 'send': {
          const message = {
            seq: ++seq,
            conversationId,
            senderId: userId,
            clientId: f.clientId,
            kind: 'text',
            text: f.text,
            ts: Date.now(),
            mentions: [],
            mentionsAll: false,
          };
          ws.send(JSON.stringify({ type: 'result', id: f.id, result: { message } }));
          const data = JSON.stringify({ type: 'message', message });
          if (conversationId === membership.general) toAll(data);
          else toUsers(members.get(conversationId) ?? [], data);
          return;
        }
        case 'typing': {
          const data = JSON.stringify({ type: 'typing', conversationId, userId });
          if (conversationId === membership.general) toUsers(sockets.keys(), data, userId);
          else toUsers(members.get(conversationId) ?? [], data, userId);
          ws.send(JSON.stringify({ type: 'result', id: f.id, result: {} }));
          return;
        }
        case 'presence.set': {
          const status = f.idle ? 'away' : 'online';
          toAll(JSON.stringify({ type: 'presence', userId, status, lastSeen: null }));
          ws.send(JSON.stringify({ type: 'result', id: f.id, result: { status } }));
          return;
        }
        case 'sync':
          ws.send(JSON.stringify({ type: 'result', id: f.id, result: { messages: [], more: false } }));
          return;
        default:
          ws.send(JSON.stringify({ type: 'result', id: f.id, result: {} }));
      }
    });
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  return {
    port: (wss.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of all) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}

// As its own process (forked by the orchestrator): membership arrives over IPC, the port goes back.
if (process.env.BENCH_BARE_RELAY === '1' && process.send) {
  process.once('message', (membership: RelayMembership) => {
    void startBareRelay(membership).then((relay) => process.send!({ port: relay.port }));
  });
  process.on('disconnect', () => process.exit(0));
}
