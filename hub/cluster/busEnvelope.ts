import * as v from 'valibot';
import { ServerFrameSchema } from '../../common/protocol/serverFrame.ts';
import { IdSchema } from '../../common/protocol/model.ts';
import type { HubEvent } from '../ops/HubEvent.ts';

/** Whom a `disconnect` closes: every connection of a user, or of one session. */
export type DisconnectTarget = { userId: number } | { sessionId: number };

/** What one envelope carries: an event, a disconnect, or a heartbeat. */
export type BusBody =
  | { kind: 'event'; event: HubEvent }
  | { kind: 'disconnect'; target: DisconnectTarget; code: number; reason: string }
  /** "I have published up to `n`": lets the others notice lost envelopes with no traffic after them. */
  | { kind: 'beat' };

/** Who sent an envelope, and how far its counters stand. */
export interface BusHeader {
  node: string;
  /** Random per process: a node restarted under the same `node` name starts new counters rather than looking like a replay. */
  inst: string;
  /** This instance's publish attempts, dropped ones too: a receiver sees every loss as a jump. */
  n: number;
  /** The same for events that are not ephemeral (and disconnects): whether a loss was only typing and presence. */
  k: number;
}

/** One message on the bus's Redis channel. */
export type BusEnvelope = { v: 1 } & BusHeader & BusBody;

const AudienceSchema = v.variant('to', [
  v.object({ to: v.literal('users'), userIds: v.array(IdSchema) }),
  v.object({ to: v.literal('everyone'), except: v.optional(IdSchema) }),
  v.object({ to: v.literal('watchers') }),
]);

const HeaderSchema = v.object({
  v: v.literal(1),
  node: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  inst: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  n: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  k: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  kind: v.picklist(['event', 'disconnect', 'beat']),
});

const EventSchema = v.object({
  audience: AudienceSchema,
  frame: ServerFrameSchema,
  ephemeral: v.optional(v.boolean()),
  ackTo: v.optional(IdSchema),
});

const DisconnectSchema = v.object({
  target: v.union([v.object({ userId: IdSchema }), v.object({ sessionId: IdSchema })]),
  code: v.pipe(v.number(), v.safeInteger(), v.minValue(1000), v.maxValue(4999)),
  reason: v.pipe(v.string(), v.maxLength(123)),
});

/** The envelope as sent (JSON). */
export function encodeEnvelope(header: BusHeader, body: BusBody): string {
  return JSON.stringify({ v: 1, ...header, ...body });
}

function describe(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0]!;
  const where = v.getDotPath(first);
  return where ? `${where}: ${first.message}` : first.message;
}

/**
 * Reads one envelope from the channel, or says what is wrong with it. The frame is checked against
 * the protocol's schema (a node of another version, or anything else publishing on the channel,
 * must not reach clients with a frame they would refuse) but handed on as it came: valibot's
 * output would drop fields this node does not know.
 */
export function decodeEnvelope(text: string): BusEnvelope | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  const header = v.safeParse(HeaderSchema, raw);
  if (!header.success) return { error: describe(header.issues) };
  const { node, inst, n, k, kind } = header.output;
  const obj = raw as Record<string, unknown>;
  if (kind === 'beat') return { v: 1, node, inst, n, k, kind };
  if (kind === 'disconnect') {
    const d = v.safeParse(DisconnectSchema, obj);
    if (!d.success) return { error: describe(d.issues) };
    return { v: 1, node, inst, n, k, kind, ...d.output };
  }
  const e = v.safeParse(EventSchema, obj.event);
  if (!e.success) return { error: `event.${describe(e.issues)}` };
  return { v: 1, node, inst, n, k, kind, event: obj.event as HubEvent };
}

/** Whether losing this body would matter beyond typing and presence (counted in `k`). */
export function countsInK(body: BusBody): boolean {
  return body.kind === 'disconnect' || (body.kind === 'event' && body.event.ephemeral !== true);
}

/**
 * The position of a frame in the hub's one message sequence (messages and their updates), or 0
 * for frames outside it (typing, presence, read markers…).
 */
export function seqOf(event: HubEvent): number {
  const { frame } = event;
  if (frame.type === 'message') return frame.message.seq;
  if (frame.type === 'message.updated') return frame.update.seq;
  return 0;
}
