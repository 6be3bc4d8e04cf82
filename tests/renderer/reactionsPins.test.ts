// The renderer's rules for reactions, pins and forwarding: the picker's arrow moves, who reacted
// as one line, who may pin (the hub's rule), toggling a reaction (on/off, the limit) and
// forwarding, against a recording stand-in backend.
import './pageGlobals.ts';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../common/client/Backend.ts';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, MessageView } from '../../common/client/ClientState.ts';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { forwardMessage } from '../../renderer/actions/forward.ts';
import { mayPin, togglePin } from '../../renderer/actions/pins.ts';
import { mayAddEmoji, toggleReaction } from '../../renderer/actions/reactions.ts';
import { setBackend } from '../../renderer/backend/currentBackend.ts';
import { gridMove } from '../../renderer/components/emojiGridNav.ts';
import { reactorNames } from '../../renderer/messages/reactorNames.ts';
import { replaceClientState } from '../../renderer/state/clientState.ts';
import { toasts } from '../../renderer/state/uiState.ts';
import { conversation, messageView, user } from '../e2e/sampleState.ts';

const person = (id: number, name: string, isAdmin = false): User => user(id, name, 'online', { isAdmin });

const conv = (id: number, kind: Conversation['kind'], extra: Partial<Conversation> = {}): Conversation =>
  conversation(id, kind, `c${id}`, { memberCount: 3, ...extra });

const msg = (conversationId: number, seq: number, extra: Partial<MessageView> = {}): MessageView =>
  messageView(seq, conversationId, 'привет', { clientId: `c-${seq}`, ts: 1, ...extra });

const users = { 1: person(1, 'Иван Петров'), 2: person(2, 'Мария Соколова'), 3: person(3, 'Пётр Смирнов') };

function state(me: User, extra: Partial<ClientState> = {}): ClientState {
  return {
    ...emptyClientState(),
    me,
    users,
    limits: {
      maxTextBytes: 1000,
      maxFrameBytes: 10_000,
      historyPageMax: 100,
      syncPageMax: 100,
      maxFileBytes: 1000,
      maxFilesPerMessage: 10,
      editWindowMs: 0,
      maxReactionsPerMessage: 2,
    },
    conversations: {
      1: conv(1, 'general'),
      2: conv(2, 'direct', { peerId: 2 }),
      3: conv(3, 'open', { ownerId: 2 }),
      4: conv(4, 'closed', { ownerId: 2, pinRule: 'owners' }),
      5: conv(5, 'open', { ownerId: 1, pinRule: 'owners' }),
    },
    ...extra,
  };
}

let calls: unknown[][] = [];
const recording = new Proxy({} as Backend, {
  get:
    (_target, method: string) =>
    (...args: unknown[]) => {
      calls.push([method, ...args]);
      return Promise.resolve(undefined);
    },
});

beforeEach(() => {
  calls = [];
  toasts.value = [];
  setBackend(recording);
});

describe('the picker grid’s arrow keys', () => {
  // The default row of 8, then a category of 20: rows 0-7 | 8-15, 16-23, 24-27.
  const move = (from: number, key: string) => gridMove([8, 20], 8, from, key);

  it('moves up and down by column across sections, to the last cell of a shorter row', () => {
    expect(move(1, 'ArrowDown')).toBe(9);
    expect(move(9, 'ArrowUp')).toBe(1);
    expect(move(1, 'ArrowUp')).toBe(1);
    expect(move(23, 'ArrowDown')).toBe(27);
    expect(move(25, 'ArrowUp')).toBe(17);
    expect(move(27, 'ArrowDown')).toBe(27);
  });

  it('walks left and right in order, Home and End to the row’s ends, pages by five rows', () => {
    expect(move(7, 'ArrowRight')).toBe(8);
    expect(move(8, 'ArrowLeft')).toBe(7);
    expect(move(0, 'ArrowLeft')).toBe(0);
    expect(move(27, 'ArrowRight')).toBe(27);
    expect(move(26, 'Home')).toBe(24);
    expect(move(10, 'End')).toBe(15);
    expect(move(2, 'PageDown')).toBe(26);
    expect(move(26, 'PageUp')).toBe(2);
    expect(move(3, 'a')).toBeNull();
    expect(gridMove([], 8, 0, 'ArrowDown')).toBeNull();
  });
});

describe('who reacted, as one line', () => {
  it('puts the user first as «Вы» and counts those past the limit', () => {
    expect(reactorNames([2], users, 1, 'ru')).toBe('Мария Соколова');
    expect(reactorNames([2, 1], users, 1, 'ru')).toBe('Вы и Мария Соколова');
    expect(reactorNames([2, 3, 1], users, 1, 'ru')).toBe('Вы, Мария Соколова и Пётр Смирнов');
    expect(reactorNames([2, 3, 1, 7, 8], users, 1, 'ru')).toBe('Вы, Мария Соколова и ещё 3');
    expect(reactorNames([2, 3, 1, 7, 8], users, 1, 'en')).toBe('You, Мария Соколова and 3 more');
    expect(reactorNames([9], users, 1, 'ru')).toBe('Пользователь №9');
  });

  it('shows the direction controls of a hostile name', () => {
    const line = reactorNames([4], { 4: person(4, 'abc\u202Eexe.png') }, 1, 'ru');
    expect(line).not.toContain('\u202E');
  });
});

describe('who may pin (the hub’s rule)', () => {
  it('follows the conversation kind and the room’s rule', () => {
    replaceClientState(state(users[1]));
    expect(mayPin(msg(2, 10))).toBe(true); // direct: both
    expect(mayPin(msg(1, 10))).toBe(false); // general: administrators only
    expect(mayPin(msg(3, 10))).toBe(true); // room, rule members (default)
    expect(mayPin(msg(4, 10))).toBe(false); // room, rule owners, someone else's
    expect(mayPin(msg(5, 10))).toBe(true); // room, rule owners, my own
    replaceClientState(state(person(1, 'Иван Петров', true)));
    expect(mayPin(msg(1, 10))).toBe(true);
    expect(mayPin(msg(4, 10))).toBe(true);
  });

  it('never for system, deleted, unsent messages or unknown conversations', () => {
    replaceClientState(state(users[1]));
    expect(mayPin(msg(2, 10, { kind: 'system' }))).toBe(false);
    expect(mayPin(msg(2, 10, { deleted: { by: 2, at: 1 } }))).toBe(false);
    expect(mayPin(msg(2, 0, { status: 'pending' }))).toBe(false);
    expect(mayPin(msg(99, 10))).toBe(false);
  });

  it('pins, or unpins a pinned message, through the backend', () => {
    replaceClientState(state(users[1]));
    togglePin(msg(3, 10));
    togglePin(msg(3, 11, { pinned: { by: 1, at: 1 } }));
    togglePin(msg(4, 12));
    expect(calls).toEqual([
      ['pin', 3, 10, true],
      ['pin', 3, 11, false],
    ]);
  });
});

describe('toggling a reaction', () => {
  const window = (items: MessageView[]) => ({ 3: { items, hasOlder: false, loadingOlder: false } });

  it('takes one’s own back, adds a new one, and stops at the hub’s limit with a notice', () => {
    const full = msg(3, 20, {
      reactions: [
        { emoji: '👍', userIds: [1, 2] },
        { emoji: '❤️', userIds: [2] },
      ],
    });
    const one = msg(3, 21, { reactions: [{ emoji: '👍', userIds: [2] }] });
    replaceClientState(state(users[1], { messages: window([full, one]) }));
    toggleReaction(3, 20, '👍');
    toggleReaction(3, 20, '❤️');
    toggleReaction(3, 21, '🎉');
    expect(calls).toEqual([
      ['react', 3, 20, '👍', false],
      ['react', 3, 20, '❤️', true],
      ['react', 3, 21, '🎉', true],
    ]);
    expect(mayAddEmoji(full, '😂')).toBe(false);
    toggleReaction(3, 20, '😂');
    expect(calls).toHaveLength(3);
    expect(toasts.value.map((t) => t.text)).toEqual(['На сообщении уже 2 разные реакции — можно добавить только их']);
  });

  it('does nothing for messages not loaded, unsent, deleted or system', () => {
    replaceClientState(
      state(users[1], {
        messages: window([
          msg(3, 0, { status: 'pending' }),
          msg(3, 31, { deleted: { by: 2, at: 1 } }),
          msg(3, 32, { kind: 'system' }),
        ]),
      }),
    );
    for (const seq of [0, 31, 32, 99]) toggleReaction(3, seq, '👍');
    expect(calls).toEqual([]);
  });
});

describe('forwarding', () => {
  it('forwards through the backend and says where it went', async () => {
    replaceClientState(state(users[1]));
    expect(await forwardMessage(3, 40, 2)).toBe(true);
    expect(calls).toEqual([['forward', 3, 40, 2]]);
    // A direct conversation is named after the person.
    expect(toasts.value.map((t) => t.text)).toEqual(['Переслано в «Мария Соколова»']);
  });
});
