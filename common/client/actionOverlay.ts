import type { MessageView } from './ClientState.ts';
import type { OutboxAction } from './OutboxEntry.ts';

/** Why the hub refused the user's last change to a message (`MessageView.changeError`). */
export type ChangeError = NonNullable<MessageView['changeError']>;

/**
 * A stored message as the user should see it with their queued changes applied on top. Each step
 * sets the state the action asks for (not a toggle), so applying it to a copy that already has
 * it (the hub's update arrived before the acknowledgement) changes nothing.
 */
export function applyAction(view: MessageView, action: OutboxAction, me: number): MessageView {
  switch (action.kind) {
    case 'edit':
      if (view.deleted) return view;
      return { ...view, text: action.text ?? view.text, editedAt: action.createdAt };
    case 'delete': {
      if (view.deleted) return view;
      const next: MessageView = {
        ...view,
        text: '',
        mentions: [],
        mentionsAll: false,
        deleted: { by: me, at: action.createdAt },
      };
      delete next.files;
      delete next.attachments;
      delete next.reactions;
      delete next.pinned;
      return next;
    }
    case 'react': {
      if (view.deleted) return view;
      const held = view.reactions ?? [];
      const reactions = react(held, action.emoji!, action.on!, me);
      return reactions === held ? view : { ...view, reactions };
    }
    case 'pin': {
      if (view.deleted || !!view.pinned === action.pinned) return view;
      const next: MessageView = { ...view };
      if (action.pinned) next.pinned = { by: me, at: action.createdAt };
      else delete next.pinned;
      return next;
    }
  }
}

function react(reactions: NonNullable<MessageView['reactions']>, emoji: string, on: boolean, me: number) {
  const index = reactions.findIndex((r) => r.emoji === emoji);
  const current = reactions[index];
  if (on) {
    if (current?.userIds.includes(me)) return reactions;
    if (!current) return [...reactions, { emoji, userIds: [me] }];
    return reactions.map((r, i) => (i === index ? { emoji, userIds: [...r.userIds, me] } : r));
  }
  if (!current?.userIds.includes(me)) return reactions;
  const left = current.userIds.filter((id) => id !== me);
  return left.length > 0
    ? reactions.map((r, i) => (i === index ? { emoji, userIds: left } : r))
    : reactions.filter((_, i) => i !== index);
}

/**
 * A window's stored messages with the conversation's queued changes (`pendingChange`: the latest
 * one's kind) and the hub's refusals (`changeError`) on them. The same array when there are none.
 */
export function overlayActions(
  items: MessageView[],
  actions: readonly OutboxAction[],
  errors: ReadonlyMap<number, ChangeError>,
  me: number,
): MessageView[] {
  if (actions.length === 0 && errors.size === 0) return items;
  const bySeq = new Map<number, OutboxAction[]>();
  for (const a of actions) {
    const list = bySeq.get(a.seq);
    if (list) list.push(a);
    else bySeq.set(a.seq, [a]);
  }
  return items.map((view) => {
    const list = bySeq.get(view.seq);
    const error = errors.get(view.seq);
    if (!list && !error) return view;
    let next: MessageView = { ...view };
    if (list) {
      for (const a of list) next = applyAction(next, a, me);
      next.pendingChange = list[list.length - 1]!.kind;
    }
    if (error) next.changeError = error;
    return next;
  });
}
