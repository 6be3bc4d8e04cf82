import type { TestHub } from '../helpers/startHub.ts';
import { OutboxClient } from './OutboxClient.ts';

/** A person of the harness organisation. */
export interface WorldUser {
  id: number;
  login: string;
  password: string;
  token: string;
}

/** An organisation on a real hub: people, rooms, direct conversations, and one outbox client each. */
export interface World {
  hub: TestHub;
  users: WorldUser[];
  clients: OutboxClient[];
  general: number;
  /** Conversations each user may post in, by user id. */
  postable: Map<number, number[]>;
  /** An open room only half the people joined (the others must never receive its messages). */
  openRoom: number;
}

/** Options of {@link buildWorld}. */
export interface WorldOptions {
  users: number;
  roomSize?: number;
  /** Where clients connect (a chaos proxy in front of the hub); the hub itself by default. */
  url?: () => string;
  /** Where the i-th person's client connects (clients spread over several hub nodes); overrides `url`. */
  urlOf?: (index: number) => () => string;
  resendMs?: number;
  prefix?: string;
}

/**
 * Creates the people (admin socket), signs each in (HTTP), creates closed rooms of `roomSize`,
 * one half-joined open room and a ring of direct conversations over the protocol, then starts an
 * outbox client per person.
 */
export async function buildWorld(hub: TestHub, options: WorldOptions): Promise<World> {
  const prefix = options.prefix ?? 'h';
  const roomSize = options.roomSize ?? 10;
  const users: WorldUser[] = [];
  for (let i = 0; i < options.users; i++) {
    const u = await hub.addUser(`${prefix}${i}`, `Сотрудник ${i}`);
    const { token } = await hub.login(u.login, u.password);
    users.push({ ...u, token });
  }
  const url = options.url ?? (() => hub.wsUrl);
  const clients = users.map(
    (u, i) =>
      new OutboxClient({
        url: options.urlOf?.(i) ?? url,
        token: u.token,
        userId: u.id,
        resendMs: options.resendMs ?? 1000,
      }),
  );
  await Promise.all(clients.map((c) => c.start()));
  const general = (
    await clients[0]!.request<{ conversations: { id: number; kind: string }[] }>('conversations.list')
  ).conversations.find((c) => c.kind === 'general')!.id;

  const postable = new Map<number, number[]>(users.map((u) => [u.id, [general]]));
  for (let k = 0; k * roomSize < users.length; k++) {
    const members = users.slice(k * roomSize, (k + 1) * roomSize);
    if (members.length < 2) break;
    const { conversation } = await clients[k * roomSize]!.request<{ conversation: { id: number } }>('rooms.create', {
      name: `${prefix} Отдел ${k}`,
      kind: 'closed',
      members: members.slice(1).map((m) => m.id),
    });
    for (const m of members) postable.get(m.id)!.push(conversation.id);
  }
  const { conversation: open } = await clients[0]!.request<{ conversation: { id: number } }>('rooms.create', {
    name: `${prefix} Открытая`,
    kind: 'open',
  });
  for (let i = 0; i < users.length; i += 2) {
    if (i > 0) await clients[i]!.request('rooms.join', { conversationId: open.id });
    postable.get(users[i]!.id)!.push(open.id);
  }
  for (let i = 0; i < users.length; i++) {
    const peer = users[(i + 1) % users.length]!;
    if (peer.id === users[i]!.id) continue;
    const { conversation } = await clients[i]!.request<{ conversation: { id: number } }>('direct.open', {
      userId: peer.id,
    });
    for (const id of [users[i]!.id, peer.id]) {
      const list = postable.get(id)!;
      if (!list.includes(conversation.id)) list.push(conversation.id);
    }
  }
  await Promise.all(clients.map((c) => c.catchUp()));
  for (const c of clients) c.markStart();
  return { hub, users, clients, general, postable, openRoom: open.id };
}

let textCounter = 0;

/**
 * Keeps every client posting: one message every `intervalMs` on average, to a random conversation
 * it is in (mostly rooms and direct ones). Each text is unique, so duplicates are visible by content.
 */
export function startLoad(world: World, intervalMs = 100): { stop(): void; readonly queued: number } {
  let queued = 0;
  const timers = world.clients.map((client, i) => {
    const convs = world.postable.get(world.users[i]!.id)!;
    return setInterval(
      () => {
        if (Math.random() > 0.5) return;
        const r = Math.random();
        const conversationId = r < 0.05 ? world.general : convs[1 + Math.floor(Math.random() * (convs.length - 1))]!;
        client.send(
          conversationId,
          `H:${process.pid}:${textCounter++} сообщение ${Math.random().toString(36).slice(2)}`,
        );
        queued++;
      },
      Math.max(1, intervalMs / 2),
    );
  });
  return {
    stop: () => timers.forEach(clearInterval),
    get queued() {
      return queued;
    },
  };
}

/** Waits for every outbox to drain and every client to be caught up. */
export async function settle(world: World, timeoutMs = 30_000): Promise<{ undrained: number }> {
  const drained = await Promise.all(world.clients.map((c) => c.drain(timeoutMs)));
  await Promise.all(world.clients.map((c) => withTimeout(c.catchUp(), timeoutMs)));
  return { undrained: drained.filter((ok) => !ok).length };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms))]);
}
