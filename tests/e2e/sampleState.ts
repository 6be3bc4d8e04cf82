// Builders of the client state a test hands its stand-in bridge or the renderer's state: users,
// conversations and messages with everything but what the test is about left at a plain default.
import type { MessageView } from '../../common/client/ClientState.ts';
import type { Conversation, Message, User } from '../../common/protocol/model.ts';

/** A plain user (online unless said otherwise) whose login is u<id>, but for `extra`. */
export const user = (
  id: number,
  name: string,
  presence: User['presence'] = 'online',
  extra: Partial<User> = {},
): User => ({
  id,
  login: `u${id}`,
  name,
  branch: null,
  isBot: false,
  isAdmin: false,
  disabled: false,
  presence,
  lastSeen: null,
  ...extra,
});

/** A conversation with nothing in it and nothing unread, but for `extra`. */
export const conversation = (
  id: number,
  kind: Conversation['kind'],
  name: string,
  extra: Partial<Conversation> = {},
): Conversation => ({
  id,
  kind,
  name,
  topic: '',
  ownerId: null,
  peerId: null,
  memberCount: 2,
  archived: false,
  createdAt: 0,
  lastSeq: 0,
  lastTs: 0,
  readSeq: 0,
  unread: 0,
  mentions: 0,
  ...extra,
});

/** A plain text message from user 2 (client id from the seq, ts = seq), but for `extra`. */
export const message = (seq: number, conversationId: number, text: string, extra: Partial<Message> = {}): Message => ({
  seq,
  conversationId,
  senderId: 2,
  clientId: `c-${seq}-abcdefgh`,
  kind: 'text',
  text,
  ts: seq,
  mentions: [],
  mentionsAll: false,
  ...extra,
});

/** {@link message} as a sent message in a window, but for `extra`. */
export const messageView = (
  seq: number,
  conversationId: number,
  text: string,
  extra: Partial<MessageView> = {},
): MessageView => ({ ...message(seq, conversationId, text), status: 'sent', ...extra });
