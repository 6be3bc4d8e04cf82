import type { ClientFrame, RequestOf, RequestType } from '../../common/protocol/clientFrame.ts';
import type { ResultMap } from '../../common/protocol/serverFrame.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import { runConsoleCommand } from '../admin/runConsoleCommand.ts';

type Handler<T extends RequestType> = (
  hub: Hub,
  actor: Actor,
  connId: string,
  frame: RequestOf<T>,
) => Promise<ResultMap[T]>;

/** Strips the envelope, leaving the operation's parameters. */
function params<T extends { type: string; id: string }>(frame: T): Omit<T, 'type' | 'id'> {
  const { type: _type, id: _id, ...rest } = frame;
  return rest;
}

/**
 * One handler per request type: each calls exactly one hub operation and shapes its result.
 * No SQL and no authorization here — the operations check that the actor may do it.
 */
const handlers: { [T in RequestType]: Handler<T> } = {
  sync: async (hub, actor, _c, f) => hub.sync(actor, params(f)),
  'conversations.list': async (hub, actor) => ({ conversations: await hub.listConversations(actor) }),
  history: async (hub, actor, _c, f) => hub.history(actor, params(f)),
  search: async (hub, actor, _c, f) => hub.search(actor, params(f)),
  send: async (hub, actor, _c, f) => ({ message: await hub.send(actor, params(f)) }),
  'message.edit': async (hub, actor, _c, f) => ({ message: await hub.editMessage(actor, params(f)) }),
  'message.delete': async (hub, actor, _c, f) => ({ message: await hub.deleteMessage(actor, params(f)) }),
  'message.react': async (hub, actor, _c, f) => ({ message: await hub.react(actor, params(f)) }),
  'message.pin': async (hub, actor, _c, f) => ({ message: await hub.pin(actor, params(f)) }),
  'pins.list': async (hub, actor, _c, f) => ({ messages: await hub.pins(actor, params(f)) }),
  read: async (hub, actor, _c, f) => hub.markRead(actor, params(f)),
  received: async (hub, actor, _c, f) => {
    await hub.received(actor, params(f));
    return {};
  },
  'settings.set': async (hub, actor, _c, f) => hub.setSettings(actor, params(f)),
  'session.renew': async (hub, actor) => hub.sessionLifetimes.renew(actor),
  'conversations.notify': async (hub, actor, _c, f) => ({ conversation: await hub.setNotify(actor, params(f)) }),
  typing: async (hub, actor, _c, f) => {
    await hub.typing(actor, params(f));
    return {};
  },
  'presence.set': async (hub, actor, connId, f) => hub.setPresence(actor, connId, params(f)),
  'rooms.create': async (hub, actor, _c, f) => ({ conversation: await hub.createRoom(actor, params(f)) }),
  'rooms.browse': async (hub, actor, _c, f) => ({ rooms: await hub.browseRooms(actor, params(f)) }),
  'rooms.join': async (hub, actor, _c, f) => ({ conversation: await hub.joinRoom(actor, params(f)) }),
  'rooms.leave': async (hub, actor, _c, f) => {
    await hub.leaveRoom(actor, params(f));
    return {};
  },
  'rooms.invite': async (hub, actor, _c, f) => hub.invite(actor, params(f)),
  'rooms.remove': async (hub, actor, _c, f) => {
    await hub.removeMember(actor, params(f));
    return {};
  },
  'rooms.update': async (hub, actor, _c, f) => ({ conversation: await hub.updateRoom(actor, params(f)) }),
  'rooms.transfer': async (hub, actor, _c, f) => {
    await hub.transferOwnership(actor, params(f));
    return {};
  },
  'rooms.members': async (hub, actor, _c, f) => ({ members: await hub.members(actor, params(f)) }),
  'direct.open': async (hub, actor, _c, f) => ({ conversation: await hub.openDirect(actor, params(f)) }),
  'users.search': async (hub, actor, _c, f) => ({ users: await hub.searchUsers(actor, params(f)) }),
  'users.get': async (hub, actor, _c, f) => ({ users: await hub.getUsers(actor, params(f)) }),
  'announcements.confirm': async (hub, actor, _c, f) => {
    await hub.confirmAnnouncement(actor, params(f));
    return {};
  },
  'announcements.pending': async (hub, actor) => ({ messages: await hub.pendingAnnouncements(actor) }),
  // The throttle's "address" for a wrong current password: the session (the account counts too).
  'password.change': async (hub, actor, _c, f) =>
    hub.selfService.changePassword(actor, f.current, f.next, `session ${actor.sessionId}`),
  'sessions.list': async (hub, actor) => ({ sessions: await hub.selfService.listSessions(actor) }),
  'sessions.end': async (hub, actor, _c, f) => {
    await hub.selfService.endSession(actor, f.sessionId);
    return {};
  },
  'sessions.endAll': async (hub, actor) => hub.selfService.endOtherSessions(actor),
  admin: async (hub, actor, _c, f) => ({ result: await runConsoleCommand(hub, actor, f.command, f.args ?? {}) }),
  'message.action': async (hub, actor, _c, f) => hub.buttons.click(actor, params(f)),
  'commands.list': async (hub) => ({ commands: await hub.commands.list() }),
  'command.run': async (hub, actor, _c, f) => hub.commands.run(actor, params(f)),
};

/** Runs one validated request against the hub and returns its result object. */
export function dispatchRequest(hub: Hub, actor: Actor, connId: string, frame: ClientFrame): Promise<unknown> {
  const handler = handlers[frame.type] as Handler<RequestType>;
  return handler(hub, actor, connId, frame as never);
}
