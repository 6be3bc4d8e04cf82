// Setup inside a load generator: its clients create the department rooms and open the direct
// conversations the orchestrator planned, over the protocol.
import type { GenCommand, SetupResult, UserConversations } from './genProtocol.ts';

/** A request's reply as the generator hands it over. */
type SetupReply = { type: 'result'; result: Record<string, unknown> } | { type: 'error'; code: string };

const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

/** Runs `task` over `items` with at most `limit` at a time. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Creates the rooms (by their creators) and direct conversations (by one side) of this generator. */
export async function genSetupPhase<C>(
  cmd: Extract<GenCommand, { cmd: 'setup' }>,
  clientOf: (userId: number) => C,
  request: (c: C, type: string, params: Record<string, unknown>) => Promise<SetupReply>,
): Promise<SetupResult> {
  const out: SetupResult = { rooms: [], directs: [], errors: {} };
  await pool(cmd.rooms, 16, async (room) => {
    const c = clientOf(room.creator);
    const reply = await request(c, 'rooms.create', { name: room.name, kind: 'closed', members: room.members });
    if (reply.type === 'error') return void bump(out.errors, `rooms.create ${reply.code}`);
    const conv = reply.result.conversation as { id: number };
    out.rooms.push({ name: room.name, conversationId: conv.id });
  });
  await pool(cmd.directs, 16, async (d) => {
    const c = clientOf(d.userId);
    const reply = await request(c, 'direct.open', { userId: d.peerId });
    if (reply.type === 'error') return void bump(out.errors, `direct.open ${reply.code}`);
    const conv = reply.result.conversation as { id: number };
    out.directs.push({ userId: d.userId, peerId: d.peerId, conversationId: conv.id });
  });
  return out;
}

/** Tells each client of this generator its conversations (what it may send to). */
export function assignConversations(
  cmd: Extract<GenCommand, { cmd: 'assign' }>,
  byUser: Map<number, { conversations: UserConversations | undefined; member: Set<number> }>,
): number {
  let n = 0;
  for (const [userId, convs] of Object.entries(cmd.conversations)) {
    const c = byUser.get(Number(userId));
    if (!c) continue;
    c.conversations = convs;
    c.member = new Set([convs.general, ...convs.rooms, ...convs.directs]);
    n++;
  }
  return n;
}
