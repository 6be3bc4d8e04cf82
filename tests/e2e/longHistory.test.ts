// A 10,000-message conversation in the real web client: only a window of rows is ever in the DOM,
// older history loads on the way up without moving what the reader looks at, and the list sticks
// to the bottom only when the reader is there.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { generalRoomId, setLastMessage } from '../../hub/store/sqlite/conversations.ts';
import { insertMessage } from '../../hub/store/sqlite/messages.ts';
import { advanceReadSeq } from '../../hub/store/sqlite/reads.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser, messagesWithText, openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

const total = 10_000;
const maxRows = 100;
// Deadlines for a hang, not speed limits: a loaded machine renders a page of history slowly.
const poll = { timeout: 45_000, interval: 50 };

interface ListState {
  rows: number;
  minSeq: number;
  maxSeq: number;
  scrollTop: number;
  atBottom: boolean;
}

const listState = `(() => {
  const list = document.querySelector('.vlist');
  const seqs = [...document.querySelectorAll('[data-message-row]')].map((el) => Number(el.dataset.seq)).filter((n) => n > 0);
  return {
    rows: document.querySelectorAll('[data-message-row]').length,
    minSeq: Math.min(...seqs),
    maxSeq: Math.max(...seqs),
    scrollTop: list.scrollTop,
    atBottom: list.scrollHeight - list.scrollTop - list.clientHeight < 30,
  };
})()`;

// Brings the reader near the top of what is loaded (just short of where older history is asked
// for), lets the list render and measure the rows there, then moves on into the loading zone and,
// in the same task (so before any answer can arrive), reports the first message row below the
// list's top edge: the one the reader is looking at.
const scrollNearTopAndPick = `new Promise((resolve) => {
  const list = document.querySelector('.vlist');
  list.scrollTop = 900;
  requestAnimationFrame(() => requestAnimationFrame(() => {
    list.scrollTop = 700;
    const top = list.getBoundingClientRect().top;
    const row = [...document.querySelectorAll('[data-message-row]')].find((el) => el.getBoundingClientRect().top >= top);
    resolve({ seq: Number(row.dataset.seq), top: row.getBoundingClientRect().top });
  }));
})`;

const rowTop = (seq: number) => `(() => {
  const row = document.querySelector('[data-message-row][data-seq="${seq}"]');
  return row ? row.getBoundingClientRect().top : null;
})()`;

describe('web client: a 10,000-message conversation', () => {
  let hub: TestHub;
  let browser: Browser;
  let reader: WatchedPage;
  let writer: { login: string; password: string };
  let lastSeq = 0;

  beforeAll(async () => {
    hub = await startHub();
    const ivan = await hub.addUser('ivan', 'Иван Петров');
    const maria = await hub.addUser('maria', 'Мария Иванова');
    writer = maria;
    // Seed the history straight into the hub's database while it is stopped: 10,000 messages over
    // about three weeks, in runs by each author, some long and multi-line.
    await hub.stop();
    const db = openDatabase(path.join(hub.dataDir, 'beseda.db'));
    try {
      const general = generalRoomId(db);
      const start = Date.now() - 21 * 86_400_000;
      db.transaction(() => {
        for (let i = 0; i < total; i++) {
          const sender = Math.floor(i / 3) % 2 === 0 ? maria.id : ivan.id;
          const long = i % 17 === 0 ? ' Подробности: '.concat('очень длинная строка '.repeat(12)) : '';
          const lines = i % 23 === 0 ? '\nвторая строка\nтретья строка' : '';
          const m = insertMessage(db, {
            conversationId: general,
            senderId: sender,
            clientId: `seed-${i.toString().padStart(6, '0')}`,
            kind: 'text',
            text: `Сообщение №${i + 1}.${long}${lines}`,
            ts: start + i * 180_000,
            mentions: [],
            mentionsAll: false,
          });
          setLastMessage(db, general, m.seq, m.ts);
          lastSeq = m.seq;
        }
        advanceReadSeq(db, general, ivan.id, lastSeq);
      })();
    } finally {
      db.close();
    }
    await hub.restart();
    browser = await launchBrowser();
    reader = await openPage(browser, { height: 900 });
    await signIn(reader.page, hub.url, ivan.login, ivan.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('opens at the newest message with only a window of rows in the DOM', async () => {
    await expect.poll(() => messagesWithText(reader.page, `Сообщение №${total}.`).count(), poll).toBe(1);
    const state = (await reader.page.evaluate(listState)) as ListState;
    expect(state.rows).toBeGreaterThan(5);
    expect(state.rows).toBeLessThanOrEqual(maxRows);
    expect(state.maxSeq).toBe(lastSeq);
    await expect.poll(async () => ((await reader.page.evaluate(listState)) as ListState).atBottom, poll).toBe(true);
  }, 60_000);

  it('loads older history on the way up, keeping the reader in place and the DOM small', async () => {
    let oldest = ((await reader.page.evaluate(listState)) as ListState).minSeq;
    for (let page = 0; page < 12; page++) {
      const anchor = (await reader.page.evaluate(scrollNearTopAndPick)) as { seq: number; top: number };
      // Older messages arrive above; the message the reader looked at stays where it was.
      await expect
        .poll(async () => {
          const s = (await reader.page.evaluate(listState)) as ListState;
          expect(s.rows).toBeLessThanOrEqual(maxRows);
          return s.minSeq < oldest && (await reader.page.evaluate(rowTop(anchor.seq))) !== null;
        }, poll)
        .toBe(true);
      await expect
        .poll(async () => Math.abs(((await reader.page.evaluate(rowTop(anchor.seq))) as number) - anchor.top), poll)
        .toBeLessThanOrEqual(2);
      const state = (await reader.page.evaluate(listState)) as ListState;
      expect(state.rows).toBeLessThanOrEqual(maxRows);
      expect(state.scrollTop).toBeGreaterThan(0);
      oldest = state.minSeq;
    }
    // Twelve pages up, far more messages are loaded than rendered.
    expect(lastSeq - oldest).toBeGreaterThan(500);
  }, 300_000);

  it('keeps the DOM small while scrolling through what is loaded', async () => {
    for (let step = 0; step < 20; step++) {
      await reader.page.mouse.move(700, 400);
      await reader.page.mouse.wheel(0, step < 10 ? -1500 : 1200);
      await reader.page.waitForTimeout(30);
      const state = (await reader.page.evaluate(listState)) as ListState;
      expect(state.rows).toBeLessThanOrEqual(maxRows);
      expect(state.rows).toBeGreaterThan(0);
    }
  }, 60_000);

  it('does not jump to new messages while the reader is up in the history, and sticks to the bottom once there', async () => {
    const before = (await reader.page.evaluate(listState)) as ListState;
    expect(before.atBottom).toBe(false);
    const { token } = await hub.login(writer.login, writer.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    try {
      const general = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
      await socket.request('send', {
        conversationId: general,
        clientId: 'live-000001',
        text: 'Пока вы читали историю',
      });
      await expect.poll(() => reader.page.locator('.jump-bottom').count(), poll).toBe(1);
      await reader.page.waitForTimeout(300);
      const after = (await reader.page.evaluate(listState)) as ListState;
      expect(after.atBottom).toBe(false);
      expect(Math.abs(after.scrollTop - before.scrollTop)).toBeLessThan(2);

      await reader.page.locator('.jump-bottom').click();
      await expect.poll(() => messagesWithText(reader.page, 'Пока вы читали историю').count(), poll).toBe(1);
      await expect.poll(async () => ((await reader.page.evaluate(listState)) as ListState).atBottom, poll).toBe(true);

      await socket.request('send', { conversationId: general, clientId: 'live-000002', text: 'И ещё одно, внизу' });
      await expect.poll(() => messagesWithText(reader.page, 'И ещё одно, внизу').isVisible(), poll).toBe(true);
      await expect.poll(async () => ((await reader.page.evaluate(listState)) as ListState).atBottom, poll).toBe(true);
      expect(((await reader.page.evaluate(listState)) as ListState).rows).toBeLessThanOrEqual(maxRows);
    } finally {
      socket.close();
    }
    expect(reader.errors).toEqual([]);
    expect(reader.cspViolations).toEqual([]);
  }, 60_000);
});
