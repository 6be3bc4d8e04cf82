// Builders of the client state a desktop-path test hands its stand-in bridge: users and
// conversations with everything but what the test is about left at a plain default.
import type { Conversation, User } from '../../common/protocol/model.ts';

/** A plain user (online unless said otherwise) whose login is u<id>. */
export const user = (id: number, name: string, presence: User['presence'] = 'online'): User => ({
  id,
  login: `u${id}`,
  name,
  branch: null,
  isBot: false,
  isAdmin: false,
  disabled: false,
  presence,
  lastSeen: null,
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
