import type { Logger } from 'pino';
import type { RawData } from 'ws';
import { ClientFrameSchema, parseClientFrame } from '../../common/protocol/clientFrame.ts';
import { CloseCode, ErrorCode } from '../../common/protocol/errors.ts';
import type { ResultMap } from '../../common/protocol/serverFrame.ts';
import type { Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { Connection } from './Connection.ts';
import type { ConnectionRegistry } from './ConnectionRegistry.ts';
import { botMayRequest } from './botRequests.ts';
import { dispatchRequest } from './dispatchRequest.ts';
import type { SyncFloors } from './SyncFloors.ts';
import { syncFromFloor } from './syncFromFloor.ts';
import { hubVersion } from '../version.ts';
import { closeWhenSessionEnds } from '../identity/closeWhenSessionEnds.ts';

/** Malformed frames in a row before the socket is closed with 4000. */
const maxStrikes = 20;
/** A connection refused this many frames for rate within one window is cut off (4008). */
const floodStrikesPerWindow = 200;
const floodWindowMs = 10_000;

/** Every request type the protocol defines, read off the schema so a new frame needs no edit here. */
const knownTypes: ReadonlySet<string> = new Set(ClientFrameSchema.options.map((option) => option.entries.type.literal));

/** The context a socket handler needs. */
export interface SocketContext {
  hub: Hub;
  registry: ConnectionRegistry;
  log: Logger;
  /** Requests in flight, so shutdown can wait for their writes. */
  inflight: Set<Promise<unknown>>;
  /** The hub's name, reported in hello. */
  name: string;
  /** Told each send's seconds from frame received to acknowledgement written (`/metrics`). */
  sendAcked?: (seconds: number) => void;
  /** Where sessions' next sync starts after an event-bus gap (several nodes); absent on a single node. */
  syncFloors?: SyncFloors;
}

/** Sends a reply frame to one connection (replies are never shed: each request gets exactly one). */
function reply(conn: Connection, frame: object): void {
  if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(frame));
}

function errorFrame(id: string | null, code: string, message: string, retryAfterMs?: number) {
  return retryAfterMs === undefined
    ? { type: 'error', id, code, message }
    : { type: 'error', id, code, message, retryAfterMs };
}

/**
 * Wires one authenticated socket: hello (with the session's download key, derived from `token`),
 * then every frame validated and dispatched to the hub.
 */
export async function handleSocket(ctx: SocketContext, conn: Connection, token: string): Promise<void> {
  const { hub, registry, log } = ctx;
  const { ws } = conn;
  ws.on('pong', () => {
    conn.awaitingPong = false;
  });
  ws.on('error', (err) => log.debug({ conn: conn.id, err: err.message }, 'socket error'));

  // Frames that arrive before hello is out are held, so replies never precede hello.
  const early: RawData[] = [];
  let onFrame: (data: RawData, isBinary: boolean) => void = (data, isBinary) => {
    if (isBinary) ws.close(CloseCode.UnsupportedData, 'binary frames are not supported');
    else early.push(data);
  };
  ws.on('message', (data, isBinary) => onFrame(data, isBinary));

  let closed = false;
  ws.on('close', () => {
    closed = true;
    registry.remove(conn);
    hub.disconnect(conn.actor, conn.id).catch((err) => log.error({ err }, 'disconnect failed'));
  });

  registry.add(conn);
  let hello;
  let fileKey: string;
  let session: { expiresAt: number; renewAfter: number; now: number } | null;
  try {
    hello = await hub.connect(conn.actor, conn.id);
    fileKey = await hub.files.fileKey(conn.actor, token);
    session = await hub.sessionLifetimes.describe(conn.actor);
  } catch (err) {
    log.error({ err, conn: conn.id }, 'connect failed');
    ws.close(CloseCode.GoingAway, 'hub unavailable');
    return;
  }
  if (closed) return;
  reply(conn, {
    type: 'hello',
    protocol: 1,
    hub: { name: ctx.name, version: hubVersion },
    me: hello.me,
    conversations: hello.conversations,
    lastSeq: hello.lastSeq,
    limits: hub.limits,
    fileKey,
    settings: hello.settings,
    ...(session ? { session } : {}),
  });
  conn.ready = true;
  ws.on('close', closeWhenSessionEnds(ws, session?.expiresAt ?? null));

  onFrame = (data, isBinary) => {
    if (isBinary) {
      ws.close(CloseCode.UnsupportedData, 'binary frames are not supported');
      return;
    }
    handleFrame(ctx, conn, data.toString());
  };
  for (const data of early) handleFrame(ctx, conn, data.toString());
  // The first listener's closure keeps this array as long as the socket lives: empty it.
  early.length = 0;
}

/** The hub version reported in hello and /healthz (one definition: hub/version.ts). */
export { hubVersion };

/** Validates one text frame and runs it; every outcome is exactly one reply. */
function handleFrame(ctx: SocketContext, conn: Connection, text: string): void {
  const { log } = ctx;
  const receivedAt = performance.now();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    strike(conn, errorFrame(null, ErrorCode.BadRequest, 'frame is not valid JSON'));
    return;
  }
  const id =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
      ? ((raw as { id: string }).id.slice(0, 64) as string)
      : null;

  const wait = conn.frames.take(Date.now());
  if (wait > 0) {
    // Counted per time window, not reset by the odd frame that gets through: a steady flood at
    // just over the refill rate must still end in a cut-off.
    const now = Date.now();
    if (now - conn.floodWindowStart > floodWindowMs) {
      conn.floodWindowStart = now;
      conn.floodStrikes = 0;
    }
    if (++conn.floodStrikes > floodStrikesPerWindow) {
      log.warn({ conn: conn.id, userId: conn.actor.userId }, 'flood: connection closed');
      conn.ws.close(CloseCode.Flood, 'too many requests');
      return;
    }
    reply(conn, errorFrame(id, ErrorCode.RateLimited, 'too many requests: slow down', wait));
    return;
  }

  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !knownTypes.has(type)) {
    strike(
      conn,
      errorFrame(
        id,
        typeof type === 'string' ? ErrorCode.UnknownType : ErrorCode.BadRequest,
        typeof type === 'string' ? `unknown frame type "${type.slice(0, 40)}"` : 'frame needs a string "type"',
      ),
    );
    return;
  }
  const parsed = parseClientFrame(raw);
  if (!parsed.ok) {
    strike(conn, errorFrame(id, ErrorCode.BadRequest, `${type}: ${parsed.message}`));
    return;
  }
  conn.strikes = 0;
  const frame = parsed.frame;
  if (conn.actor.isBot && !botMayRequest(frame.type)) {
    // Refused before any operation runs: see botRequests.ts for what a bot's socket may do.
    reply(conn, errorFrame(frame.id, ErrorCode.Forbidden, `a bot may not send "${frame.type}"`));
    return;
  }
  // A client shows presence only for users it knows: it hears the presence of those it looks up.
  // Watched before the lookup, so a change while it runs is not missed.
  if (frame.type === 'users.get') ctx.registry.watch(conn, frame.ids);
  const request =
    frame.type === 'sync' && ctx.syncFloors
      ? syncFromFloor(ctx.hub, ctx.syncFloors, conn.actor, frame)
      : dispatchRequest(ctx.hub, conn.actor, conn.id, frame);
  const work = request.then(
    (result) => {
      if (frame.type === 'users.search')
        ctx.registry.watch(
          conn,
          (result as ResultMap['users.search']).users.map((u) => u.id),
        );
      reply(conn, { type: 'result', id: frame.id, result });
      if (frame.type === 'send') ctx.sendAcked?.((performance.now() - receivedAt) / 1000);
    },
    (err: unknown) => {
      if (err instanceof HubError) {
        reply(conn, errorFrame(frame.id, err.code, err.message, err.retryAfterMs));
      } else {
        log.error({ err, type: frame.type, conn: conn.id }, 'request failed');
        reply(conn, errorFrame(frame.id, ErrorCode.Internal, 'internal error; the request was not applied'));
      }
    },
  );
  ctx.inflight.add(work);
  void work.finally(() => ctx.inflight.delete(work));
}

/** Answers a malformed frame and counts it; a client that keeps sending garbage is cut off. */
function strike(conn: Connection, frame: object): void {
  reply(conn, frame);
  conn.strikes++;
  if (conn.strikes >= maxStrikes) conn.ws.close(CloseCode.ProtocolViolation, 'too many malformed frames');
}
