import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../common/client/ClientState.ts';
import { buildRows, groupGapMs } from '../../renderer/messages/buildRows.ts';

let nextSeq = 1;
function msg(senderId: number, ts: number, extra: Partial<MessageView> = {}): MessageView {
  const seq = nextSeq++;
  return {
    seq,
    conversationId: 1,
    senderId,
    clientId: `c${seq}xxxxxxxx`,
    kind: 'text',
    text: `message ${seq}`,
    ts,
    mentions: [],
    mentionsAll: false,
    status: 'sent',
    ...extra,
  };
}

const day1 = new Date(2024, 2, 11, 9, 0).getTime();
const day2 = new Date(2024, 2, 12, 9, 0).getTime();

function shape(rows: ReturnType<typeof buildRows>): string[] {
  return rows.map((r) =>
    r.kind === 'message' ? `${r.groupStart ? '+' : ' '}${r.message.senderId}${r.groupEnd ? '.' : ''}` : r.kind,
  );
}

describe('buildRows', () => {
  it('groups consecutive messages by author', () => {
    const rows = buildRows([msg(1, day1), msg(1, day1 + 1000), msg(2, day1 + 2000), msg(1, day1 + 3000)], null, 9);
    expect(shape(rows)).toEqual(['day', '+1', ' 1.', '+2.', '+1.']);
  });

  it('starts a new group after a long pause or a different display name', () => {
    const rows = buildRows(
      [
        msg(1, day1),
        msg(1, day1 + groupGapMs + 1),
        msg(3, day1 + groupGapMs + 2, { displayName: 'Zabbix' }),
        msg(3, day1 + groupGapMs + 3, { displayName: '1C' }),
      ],
      null,
      9,
    );
    expect(shape(rows)).toEqual(['day', '+1.', '+1.', '+3.', '+3.']);
  });

  it('puts a date separator at every change of local day', () => {
    const late = new Date(2024, 2, 11, 23, 59).getTime();
    const rows = buildRows([msg(1, day1), msg(1, late), msg(1, day2)], null, 9);
    expect(shape(rows)).toEqual(['day', '+1.', '+1.', 'day', '+1.']);
    expect(rows.filter((r) => r.kind === 'day').map((r) => r.key)).toEqual(['d20240311', 'd20240312']);
  });

  it('never groups system messages', () => {
    const rows = buildRows([msg(1, day1, { kind: 'system' }), msg(1, day1 + 1), msg(1, day1 + 2)], null, 9);
    expect(shape(rows)).toEqual(['day', '+1.', '+1', ' 1.']);
  });

  it('puts the new-messages divider before the first unread message from someone else', () => {
    const a = msg(1, day1);
    const mine = msg(9, day1 + 1);
    const sys = msg(2, day1 + 2, { kind: 'system' });
    const b = msg(2, day1 + 3);
    const c = msg(2, day1 + 4);
    const rows = buildRows([a, mine, sys, b, c], a.seq, 9);
    expect(shape(rows)).toEqual(['day', '+1.', '+9.', '+2.', 'unread', '+2', ' 2.']);
  });

  it('shows no divider when nothing is unread or no marker is given', () => {
    const a = msg(1, day1);
    expect(shape(buildRows([a], a.seq, 9))).toEqual(['day', '+1.']);
    expect(shape(buildRows([a], null, 9))).toEqual(['day', '+1.']);
  });

  it('keeps a message key stable from pending to sent', () => {
    const pending = msg(9, day1, { seq: 0, status: 'pending', clientId: 'abcdefgh1' });
    const sent = { ...pending, seq: 500, status: 'sent' as const };
    expect(buildRows([pending], null, 9)[1]!.key).toBe(buildRows([sent], null, 9)[1]!.key);
  });

  it('gives every row a unique key', () => {
    const dup = msg(1, day1, { clientId: 'same-id-123' });
    const rows = buildRows([dup, { ...dup, seq: dup.seq + 1000 }], null, 9);
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
