// The renderer's view of pending announcements: the client state's `announcements` slice (fed by
// backend patches, the hub being the source of truth) in order, and one-line previews of them.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { emptyClientState } from '../../common/client/ClientState.ts';
import { isPendingAnnouncement, oldestFirst, pendingAnnouncements } from '../../renderer/state/announcements.ts';
import { applyStatePatch, replaceClientState } from '../../renderer/state/clientState.ts';
import { previewText } from '../../renderer/text/previewText.ts';

function announcement(seq: number, text: string, attachments?: Message['attachments']): Message {
  const m: Message = {
    seq,
    conversationId: 1,
    senderId: 2,
    clientId: `ann-${seq}`,
    kind: 'announcement',
    text,
    ts: 1_700_000_000_000 + seq,
    mentions: [],
    mentionsAll: false,
  };
  if (attachments) m.attachments = attachments;
  return m;
}

describe('pending announcements', () => {
  it('lists them oldest first, following the patches of the state', () => {
    replaceClientState(emptyClientState());
    expect(pendingAnnouncements.value).toEqual([]);
    applyStatePatch({ announcements: { 30: announcement(30, 'c'), 7: announcement(7, 'a') } });
    applyStatePatch({ announcements: { 12: announcement(12, 'b') } });
    expect(pendingAnnouncements.value.map((m) => m.seq)).toEqual([7, 12, 30]);
    expect(isPendingAnnouncement(12)).toBe(true);

    // Confirmed (here or on another device): the core patches it away.
    applyStatePatch({ announcements: { 7: null } });
    expect(pendingAnnouncements.value.map((m) => m.seq)).toEqual([12, 30]);
    expect(isPendingAnnouncement(7)).toBe(false);

    // Sign-out or another person's sign-in resets the state: nothing stays pinned.
    applyStatePatch({ reset: true, connection: 'signed-out' });
    expect(pendingAnnouncements.value).toEqual([]);
  });

  it('sorts numerically, not as text', () => {
    const list = oldestFirst({ 100: announcement(100, ''), 9: announcement(9, ''), 20: announcement(20, '') });
    expect(list.map((m) => m.seq)).toEqual([9, 20, 100]);
  });
});

describe('previewText', () => {
  it('is the text on one line', () => {
    expect(previewText(announcement(1, '  Инвентаризация\n\nв  пятницу  '))).toBe('Инвентаризация в пятницу');
  });

  it("falls back to the first card's fallback, then its title, when there is no text", () => {
    const card = { fallback: 'Диск заполнен (srv-1c-01)', title: 'Диск заполнен' };
    expect(previewText(announcement(1, '', [card, { fallback: 'second' }]))).toBe('Диск заполнен (srv-1c-01)');
    expect(previewText(announcement(1, ' \n', [{ title: 'Диск заполнен', text: 'подробно' }]))).toBe('Диск заполнен');
    expect(previewText(announcement(1, '', [{ fallback: '', title: 'Заголовок' }]))).toBe('Заголовок');
    expect(previewText(announcement(1, 'Текст', [card]))).toBe('Текст');
    expect(previewText(announcement(1, '', [{ text: 'only text' }]))).toBe('');
    expect(previewText(announcement(1, ''))).toBe('');
  });
});
