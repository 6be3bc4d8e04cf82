// Shared by the message action tests (tests/hub/messageActions*.test.ts): a real hub with the
// cast of a small office — an author, another member, a room's owner, an administrator, someone
// outside — their rooms, and short ways to send and to act on messages over the real protocol.
import { expect } from 'vitest';
import type { Conversation, Message } from '../../common/protocol/model.ts';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, type Person } from './connect.ts';

/** Rate limits raised so the tests measure rules, not the abuse limits. */
export const relaxedLimits = [
  '--send-per-second',
  '1000',
  '--send-burst',
  '1000',
  '--frames-per-second',
  '2000',
  '--frames-burst',
  '2000',
];

/** The people of a test hub and their conversations. */
export interface Office {
  hub: TestHub;
  /** Writes the messages the others act on; a member of every room. */
  author: Person;
  /** Another member of every room, and the author's direct peer. */
  member: Person;
  /** Created (owns) both rooms. */
  owner: Person;
  /** An administrator, a member of both rooms (not of the direct conversation). */
  admin: Person;
  /** In no room but the general one. */
  outsider: Person;
  general: number;
  /** A closed room of owner, author, member, admin. */
  closed: number;
  /** An open room of the same people (the outsider could join). */
  open: number;
  /** author ↔ member. */
  direct: number;
}

/** Signs a user in and opens a socket (an administrator when `admin`). */
export async function signIn(hub: TestHub, login: string, name: string, admin = false): Promise<Person> {
  const u = await hub.addUser(login, name, { admin });
  const { token } = await hub.login(login, u.password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  const generalId = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
  return { ...u, token, socket, generalId };
}

/** Another socket (device) of a signed-in person. */
export async function secondDevice(hub: TestHub, person: Person): Promise<TestSocket> {
  const { token } = await hub.login(person.login, person.password);
  return TestSocket.open(hub.wsUrl, token);
}

/** Starts a hub with `args` and sets up the office. */
export async function openOffice(args: string[] = []): Promise<Office> {
  const hub = await startHub({ args: [...relaxedLimits, ...args] });
  const author = await signIn(hub, 'avtor', 'Автор');
  const member = await signIn(hub, 'boris', 'Борис');
  const owner = await signIn(hub, 'olga', 'Ольга');
  const admin = await signIn(hub, 'admin2', 'Админ', true);
  const outsider = await signIn(hub, 'nina', 'Нина');
  const members = [author.id, member.id, admin.id];
  const room = async (name: string, kind: 'open' | 'closed') =>
    (await owner.socket.request<{ conversation: Conversation }>('rooms.create', { name, kind, members })).conversation
      .id;
  const closed = await room('Бухгалтерия', 'closed');
  const open = await room('Склад', 'open');
  const direct = (await author.socket.request<{ conversation: Conversation }>('direct.open', { userId: member.id }))
    .conversation.id;
  return { hub, author, member, owner, admin, outsider, general: author.generalId, closed, open, direct };
}

/** Closes every socket and stops the hub. */
export async function closeOffice(office: Office | undefined): Promise<void> {
  if (!office) return;
  for (const p of [office.author, office.member, office.owner, office.admin, office.outsider]) p.socket.close();
  await office.hub.stop().catch(() => {});
}

/** Sends a message and answers it as stored. */
export async function say(
  who: Person | TestSocket,
  conversationId: number,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<Message> {
  const socket = who instanceof TestSocket ? who : who.socket;
  const { message } = await socket.request<{ message: Message }>('send', {
    conversationId,
    clientId: cid('say'),
    text,
    ...extra,
  });
  return message;
}

/** One message action (`message.edit` …) with a fresh client id unless one is given. */
export async function act(
  who: Person | TestSocket,
  type: 'message.edit' | 'message.delete' | 'message.react' | 'message.pin',
  params: Record<string, unknown>,
): Promise<Message> {
  const socket = who instanceof TestSocket ? who : who.socket;
  const { message } = await socket.request<{ message: Message }>(type, { clientId: cid('act'), ...params });
  return message;
}

/** Expects a request to be refused with this error code (and, if given, a message matching `text`). */
export async function refused(request: Promise<unknown>, code: string, text?: RegExp): Promise<void> {
  await expect(request).rejects.toMatchObject(text ? { code, message: expect.stringMatching(text) } : { code });
}

/** The message as the person's history of its conversation shows it now. */
export async function seen(who: Person, message: Message): Promise<Message | undefined> {
  const { messages } = await who.socket.request<{ messages: Message[] }>('history', {
    conversationId: message.conversationId,
    before: message.seq + 1,
    limit: 1,
  });
  return messages.find((m) => m.seq === message.seq);
}

/** A frame this socket received already, or the next one that matches (checked in one turn: none slips by). */
export function arrived<T extends ServerFrame['type']>(
  socket: TestSocket,
  type: T,
  match: (f: Extract<ServerFrame, { type: T }>) => boolean,
): Promise<Extract<ServerFrame, { type: T }>> {
  const found = socket.all(type).find(match);
  return found ? Promise.resolve(found) : socket.next(type, match);
}
