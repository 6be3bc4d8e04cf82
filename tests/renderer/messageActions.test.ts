// The message menu's rules (only what the hub would allow is offered) and message links (built,
// read back, and only this hub's links taken as messages).
import './pageGlobals.ts';
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { lastEditable, mayDelete, mayEdit, messageActions } from '../../renderer/actions/messageRules.ts';
import type { RuleContext } from '../../renderer/actions/messageRules.ts';
import { messageLink, parseMessageHash, parseMessageLink } from '../../renderer/actions/messageLinks.ts';
import { conversation, messageView, user } from '../e2e/sampleState.ts';

const person = (id: number, isAdmin = false): User => user(id, `User ${id}`, 'online', { isAdmin });

const room = (kind: Conversation['kind'], extra: Partial<Conversation> = {}): Conversation =>
  conversation(5, kind, 'r', { memberCount: 3, ...extra });

const T = 1_800_000_000_000;
const msg = (senderId: number, extra: Partial<MessageView> = {}): MessageView =>
  messageView(40, 5, 'hello', { senderId, clientId: 'c', ts: T, ...extra });

const ctx = (me: User, conversation: Conversation, extra: Partial<RuleContext> = {}): RuleContext => ({
  me,
  conversation,
  limits: null,
  now: T + 1000,
  mayPin: () => false,
  ...extra,
});

describe('message menu rules', () => {
  it('someone else’s message in the general room: reply, react, forward, copy', () => {
    expect(messageActions(msg(2), ctx(person(1), room('general')))).toEqual([
      'reply',
      'react',
      'forward',
      'copyText',
      'copyLink',
    ]);
  });

  it('own message: edit and delete too; pin/unpin as the pins rule says', () => {
    const c = ctx(person(1), room('open'), { mayPin: () => true });
    expect(messageActions(msg(1), c)).toEqual([
      'reply',
      'react',
      'edit',
      'delete',
      'pin',
      'forward',
      'copyText',
      'copyLink',
    ]);
    expect(messageActions(msg(1, { pinned: { by: 1, at: T } }), c)).toContain('unpin');
  });

  it('edit: only own text messages, not forwarded, not an integration’s, within the edit window', () => {
    const me = person(1);
    expect(mayEdit(msg(1), ctx(me, room('open')))).toBe(true);
    expect(mayEdit(msg(2), ctx(me, room('open')))).toBe(false);
    expect(mayEdit(msg(1, { kind: 'announcement' }), ctx(me, room('open')))).toBe(false);
    expect(mayEdit(msg(1, { forwarded: { senderId: 2, ts: T } }), ctx(me, room('open')))).toBe(false);
    expect(mayEdit(msg(1, { displayName: 'CI bot' }), ctx(me, room('open')))).toBe(false);
    expect(mayEdit(msg(1), ctx(me, room('open', { archived: true })))).toBe(false);
    const limits = { editWindowMs: 60_000 } as RuleContext['limits'];
    expect(mayEdit(msg(1), ctx(me, room('open'), { limits, now: T + 59_000 }))).toBe(true);
    expect(mayEdit(msg(1), ctx(me, room('open'), { limits, now: T + 61_000 }))).toBe(false);
  });

  it('delete: own; a room’s owner any in it; an administrator any but others’ direct messages; never system', () => {
    expect(mayDelete(msg(1), ctx(person(1), room('direct')))).toBe(true);
    expect(mayDelete(msg(2), ctx(person(1), room('direct')))).toBe(false);
    expect(mayDelete(msg(2), ctx(person(1, true), room('direct')))).toBe(false);
    expect(mayDelete(msg(2), ctx(person(1), room('closed', { ownerId: 1 })))).toBe(true);
    expect(mayDelete(msg(2), ctx(person(1), room('closed', { ownerId: 3 })))).toBe(false);
    expect(mayDelete(msg(2), ctx(person(1), room('general')))).toBe(false);
    expect(mayDelete(msg(2), ctx(person(1, true), room('general')))).toBe(true);
    expect(mayDelete(msg(2, { kind: 'announcement' }), ctx(person(1), room('open', { ownerId: 1 })))).toBe(false);
    expect(mayDelete(msg(2, { kind: 'announcement' }), ctx(person(1, true), room('general')))).toBe(true);
    expect(mayDelete(msg(1, { kind: 'system' }), ctx(person(1, true), room('open')))).toBe(false);
  });

  it('pending, failed and system messages have no menu; a deleted one only the link', () => {
    const c = ctx(person(1), room('open'));
    expect(messageActions(msg(1, { status: 'pending', seq: 0 }), c)).toEqual([]);
    expect(messageActions(msg(1, { status: 'failed', seq: 0 }), c)).toEqual([]);
    expect(messageActions(msg(1, { kind: 'system' }), c)).toEqual([]);
    expect(messageActions(msg(1, { deleted: { by: 1, at: T }, text: '' }), c)).toEqual(['copyLink']);
    // Files only: nothing to copy as text.
    expect(messageActions(msg(2, { text: '' }), c)).not.toContain('copyText');
  });

  it('↑ finds the newest own message that may still be edited', () => {
    const items = [
      msg(1, { seq: 1 }),
      msg(1, { seq: 2 }),
      msg(2, { seq: 3 }),
      msg(1, { seq: 4, deleted: { by: 1, at: T } }),
    ];
    expect(lastEditable(items, ctx(person(1), room('open')))?.seq).toBe(2);
    expect(lastEditable(items, ctx(person(3), room('open')))).toBeUndefined();
  });
});

describe('message links', () => {
  it('are the hub’s address with #/c/<conversation>/m/<seq>, read back', () => {
    expect(messageLink('https://chat.corp.local/', 7, 1234)).toBe('https://chat.corp.local/#/c/7/m/1234');
    expect(parseMessageHash('#/c/7/m/1234')).toEqual({ conversationId: 7, seq: 1234 });
    expect(parseMessageLink('https://chat.corp.local/#/c/7/m/1234', 'https://chat.corp.local')).toEqual({
      conversationId: 7,
      seq: 1234,
    });
  });

  it('only this hub’s links are messages; anything else stays a link', () => {
    const hub = 'https://chat.corp.local';
    for (const href of [
      'https://evil.example/#/c/7/m/1',
      'http://chat.corp.local/#/c/7/m/1',
      'https://chat.corp.local:8443/#/c/7/m/1',
      'https://chat.corp.local/other/#/c/7/m/1',
      'https://user:pw@chat.corp.local/#/c/7/m/1',
      'https://chat.corp.local/?x=1#/c/7/m/1',
      'https://chat.corp.local/#/c/7/m/0',
      'https://chat.corp.local/#/c/7/m/1x',
      'https://chat.corp.local/#/c/-7/m/1',
      'not a url',
    ]) {
      expect(parseMessageLink(href, hub), href).toBeNull();
    }
    expect(parseMessageLink('https://chat.corp.local/#/c/7/m/1', null)).toBeNull();
    expect(parseMessageHash('#/c/99999999999999999/m/1')).toBeNull();
  });
});
