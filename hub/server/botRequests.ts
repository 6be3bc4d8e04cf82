import type { RequestType } from '../../common/protocol/clientFrame.ts';

/**
 * What a bot may ask over its WebSocket (docs/protocol.md, "Bots over WebSocket"): read and write
 * in the conversations it is in — its direct conversations and the rooms IT added it to — and look
 * people up. Everything else is a person's or an administrator's: joining, creating or running
 * rooms would let a bot put itself into conversations nobody gave it; browsing rooms and pending
 * announcements would tell it about conversations it is not in; passwords, sessions, settings,
 * presence and notification levels belong to a person signed in; buttons and slash commands are
 * pressed and typed by people (the bot answers them through its callback URL).
 * A list of what is allowed, not of what is refused: a request type added later stays closed to
 * bots until someone decides otherwise here.
 */
const botRequests: ReadonlySet<RequestType> = new Set<RequestType>([
  'sync',
  'conversations.list',
  'history',
  'search',
  'send',
  'message.edit',
  'message.delete',
  'message.react',
  'message.pin',
  'pins.list',
  'read',
  'received',
  'typing',
  'rooms.members',
  'direct.open',
  'users.search',
  'users.get',
]);

/** Whether a bot's socket may send a request of this type (the operation still checks membership). */
export function botMayRequest(type: RequestType): boolean {
  return botRequests.has(type);
}
