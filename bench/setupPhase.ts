// Setup: departments (every person in one room of ~roomSize) and direct conversations among the
// active clients, created over the protocol by the generators' clients.
import type { SetupResult, UserConversations } from './genProtocol.ts';
import { log, type PhaseContext } from './PhaseContext.ts';
import { ProtoClient } from './ProtoClient.ts';

/** A department room as the bench planned it. */
export interface BenchRoom {
  name: string;
  creator: number;
  members: number[];
  index: number;
}

/** What setup created: the general room, the rooms (by name → id) and every conversation's members. */
export interface BenchConversations {
  general: number;
  rooms: BenchRoom[];
  roomIds: Map<string, number>;
  members: Map<number, Set<number>>;
}

/** Creates the rooms and direct conversations and tells each generator its users' conversations. */
export async function setupPhase(ctx: PhaseContext): Promise<BenchConversations> {
  const { o, hub, gens, users, report } = ctx;
  const population = users.length;
  log('creating rooms and direct conversations over the protocol');
  const writerClient = await ProtoClient.open(hub.wsUrl, ctx.writer.token);
  const general = writerClient.hello.conversations.find((c) => c.kind === 'general')!.id;
  await writerClient.close();
  const rooms: BenchRoom[] = [];
  for (let k = 0; k * o.roomSize < population; k++) {
    const members = users.slice(k * o.roomSize, (k + 1) * o.roomSize).map((u) => u.userId);
    rooms.push({ name: `Отдел ${k + 1}`, creator: members[0]!, members: members.slice(1), index: k });
  }
  const directs: { userId: number; peerId: number }[] = [];
  const stride = Math.max(2, Math.floor(o.clients / 3));
  for (let i = 0; i < o.clients; i++) {
    for (const j of [(i + 1) % o.clients, (i + stride) % o.clients])
      if (j !== i) directs.push({ userId: users[i]!.userId, peerId: users[j]!.userId });
  }
  const t = performance.now();
  const genOfUser = (userId: number) => ctx.genOf(ctx.indexOf.get(userId)!);
  const setups = await gens.all<SetupResult>((g) => ({
    cmd: 'setup',
    rooms: rooms.filter((r) => genOfUser(r.creator) === g),
    directs: directs.filter((d) => genOfUser(d.userId) === g),
  }));
  const roomIds = new Map(setups.flatMap((s) => s.rooms).map((r) => [r.name, r.conversationId]));
  const setupErrors = setups.flatMap((s) => Object.entries(s.errors));
  if (setupErrors.length > 0) throw new Error(`setup failed: ${JSON.stringify(setupErrors)}`);
  const conversations: Record<number, UserConversations> = {};
  const members = new Map<number, Set<number>>();
  for (const u of users) conversations[u.userId] = { general, rooms: [], directs: [] };
  for (const r of rooms) {
    const id = roomIds.get(r.name)!;
    members.set(id, new Set([r.creator, ...r.members]));
    for (const userId of [r.creator, ...r.members]) conversations[userId]!.rooms.push(id);
  }
  for (const d of setups.flatMap((s) => s.directs)) {
    if (members.has(d.conversationId)) continue;
    members.set(d.conversationId, new Set([d.userId, d.peerId]));
    conversations[d.userId]!.directs.push(d.conversationId);
    conversations[d.peerId]!.directs.push(d.conversationId);
  }
  report.setup.rooms = rooms.length;
  report.setup.directs = members.size - rooms.length;
  await gens.all(() => ({ cmd: 'assign', conversations }));
  log(
    `  ${rooms.length} rooms, ${report.setup.directs} direct conversations in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  return { general, rooms, roomIds, members };
}
