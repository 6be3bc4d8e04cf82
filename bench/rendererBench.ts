// The web client's figure: how fast a 10,000-message conversation shows its newest messages when
// opened, and how many rows it keeps in the DOM — in headless Chromium against the real hub.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { openDatabase } from '../hub/db/openDatabase.ts';
import { generalRoomId, setLastMessage } from '../hub/store/sqlite/conversations.ts';
import { insertMessage } from '../hub/store/sqlite/messages.ts';
import { advanceReadSeq } from '../hub/store/sqlite/reads.ts';
import { Histogram } from './Histogram.ts';
import { HubProcess } from './HubProcess.ts';

/** What the renderer step measured. */
export interface RendererFigures {
  messagesPerConversation: number;
  /** Click on a conversation in the sidebar → its newest message painted, first time in the session. */
  coldOpenMs: number[];
  /** The same, for conversations opened before in the session. */
  warmOpenMs: { p50: number; max: number; samples: number };
  /** Most message rows in the DOM at any measurement. */
  maxRowsInDom: number;
}

const chromiumPath = '/usr/bin/chromium';

/** Whether the step can run here (Chromium and a built web client). */
export function rendererBenchAvailable(webRoot: string): boolean {
  return existsSync(chromiumPath) && existsSync(path.join(webRoot, 'index.html'));
}

// Runs in the page: clicks a sidebar entry and resolves when the newest message is in the DOM
// and one frame later (painted), with the time since the click and the rows in the DOM.
const openAndTime = `([name, text]) => new Promise((resolve, reject) => {
  const item = [...document.querySelectorAll('nav.sidebar .conv-item')]
    .find((el) => (el.querySelector('.conv-name')?.textContent ?? '').includes(name));
  if (!item) return reject(new Error('no sidebar entry ' + name));
  const shown = () => [...document.querySelectorAll('[data-message-row] .msg-text')].some((e) => e.textContent.includes(text));
  const t0 = performance.now();
  const done = () => requestAnimationFrame(() => { clearTimeout(timer); resolve({ ms: performance.now() - t0, rows: document.querySelectorAll('[data-message-row]').length }); });
  const timer = setTimeout(() => { obs.disconnect(); reject(new Error('newest message not shown within 20 s: ' + text + ' rows: ' + [...document.querySelectorAll('[data-message-row] .msg-text')].slice(-2).map((e) => e.textContent).join(' | '))); }, 20000);
  const obs = new MutationObserver(() => { if (shown()) { obs.disconnect(); done(); } });
  obs.observe(document.body, { subtree: true, childList: true, characterData: true });
  item.click();
})`;

/**
 * Seeds two 10,000-message conversations (the general room and a direct one) into a fresh hub,
 * signs in through the web client and switches between them, timing each opening.
 */
export async function rendererBench(
  hubBundle: string,
  webRoot: string,
  messages = 10_000,
  switches = 8,
): Promise<RendererFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-web-'));
  const hub = new HubProcess(hubBundle, dataDir, ['--log-level', 'info', '--web-root', webRoot]);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    await hub.start();
    const reader = { login: 'reader', password: 'Чтение-12345' };
    const { user: readerUser } = await hub.admin<{ user: { id: number } }>('user.add', {
      ...reader,
      name: 'Иван Читатель',
    });
    const { user: writer } = await hub.admin<{ user: { id: number } }>('user.add', {
      login: 'writer',
      name: 'Мария Писатель',
      password: 'Запись-12345',
    });
    await hub.stop();
    const db = openDatabase(path.join(dataDir, 'beseda.db'));
    try {
      const general = generalRoomId(db);
      const now = Date.now();
      db.transaction(() => {
        const direct = Number(
          db
            .prepare(
              `INSERT INTO conversations (kind, direct_low, direct_high, created_at, last_ts) VALUES ('direct', ?, ?, ?, ?)`,
            )
            .run(Math.min(readerUser.id, writer.id), Math.max(readerUser.id, writer.id), now, now).lastInsertRowid,
        );
        for (const userId of [readerUser.id, writer.id])
          db.prepare('INSERT INTO members (conversation_id, user_id, joined_at, read_seq) VALUES (?, ?, ?, 0)').run(
            direct,
            userId,
            now,
          );
        for (const [conversationId, label] of [
          [general, 'Сообщение'],
          [direct, 'Личное'],
        ] as const) {
          let last = 0;
          for (let i = 1; i <= messages; i++) {
            const m = insertMessage(db, {
              conversationId,
              senderId: i % 3 === 0 ? readerUser.id : writer.id,
              clientId: `seed-${conversationId}-${i}`,
              kind: 'text',
              text: `${label} №${i}.${i % 17 === 0 ? ' Подробности: '.concat('длинная строка '.repeat(15)) : ''}`,
              ts: now - (messages - i) * 60_000,
              mentions: [],
              mentionsAll: false,
            });
            setLastMessage(db, conversationId, m.seq, m.ts);
            last = m.seq;
          }
          advanceReadSeq(db, conversationId, readerUser.id, last);
        }
      })();
    } finally {
      db.close();
    }
    await hub.start();

    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' })
    ).newPage();
    await page.goto(hub.url);
    await page.locator('input[name="login"]').fill(reader.login);
    await page.locator('input[name="password"]').fill(reader.password);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 30_000 });
    await page.locator('nav.sidebar .conv-item').first().waitFor();
    await page.waitForTimeout(500);

    const targets = [
      { name: 'Мария Писатель', text: `Личное №${messages}.` },
      { name: 'Общий чат', text: `Сообщение №${messages}.` },
    ];
    const cold: number[] = [];
    const warm = new Histogram();
    let maxRows = 0;
    const opened = new Set<string>();
    // A conversation the client opened by itself after sign-in is not a first opening any more.
    for (const t of targets)
      if ((await page.locator('[data-message-row] .msg-text', { hasText: t.text }).count()) > 0) opened.add(t.name);
    for (let i = 0; i < switches; i++) {
      const t = targets[i % 2]!;
      const { ms, rows } = (await page.evaluate(`(${openAndTime})(${JSON.stringify([t.name, t.text])})`)) as {
        ms: number;
        rows: number;
      };
      maxRows = Math.max(maxRows, rows);
      if (opened.has(t.name)) warm.record(ms);
      else cold.push(Math.round(ms));
      opened.add(t.name);
      await page.waitForTimeout(300);
    }
    return {
      messagesPerConversation: messages,
      coldOpenMs: cold,
      warmOpenMs: { p50: Math.round(warm.percentile(50)), max: Math.round(warm.max), samples: warm.count },
      maxRowsInDom: maxRows,
    };
  } finally {
    await browser.close();
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
