// The stand-in of the buttons and slash-command tests (issue 18) on the desktop path: a room with a
// 1C bot's messages carrying buttons, and a bridge whose messageAction / runCommand answers wait
// for the test (window.__settle), so the pending look can be seen before the answer comes.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, MessageView, StatePatch } from '../../common/client/ClientState.ts';
import type { SlashCommand } from '../../common/protocol/model.ts';
import { fakeBridge } from './fakeBridge.ts';
import { openDesktopPage } from './openDesktopPage.ts';
import { conversation, messageView, user } from './sampleState.ts';

export const room = 12;
export const bot = 7;
const base = Date.UTC(2026, 11, 2, 9, 0);

/** The room's messages: an approval with two one-click buttons and a repeatable one, a stock query. */
export const messages = {
  order: messageView(201, room, 'Согласуйте заказ №17 на 48 500 ₽ (ООО «Ромашка»)', {
    senderId: bot,
    ts: base,
    actions: [
      { id: 'approve', label: 'Согласовать', value: 'approve:17', style: 'primary' },
      { id: 'reject', label: 'Отклонить', value: 'reject:17', style: 'danger' },
      { id: 'details', label: 'Подробнее', value: 'details:17', multi: true },
    ],
  }),
  stock: messageView(202, room, 'Поступление на склад Самара: 12 позиций', {
    senderId: bot,
    ts: base + 60_000,
    actions: [
      { id: 'balance', label: 'Показать остатки', value: 'balance:samara' },
      { id: 'ack', label: 'Принято', value: 'ack' },
    ],
  }),
  plain: messageView(203, room, 'Коллеги, заказ №17 срочный.', { senderId: 2, ts: base + 120_000 }),
} satisfies Record<string, MessageView>;

/** The commands the stand-in's commandsList answers. */
export const commands: SlashCommand[] = [
  { name: '/остаток', usage: '<артикул>', description: 'Остаток товара на складах из 1С', botId: bot },
  { name: '/отпуск', usage: '[с дд.мм по дд.мм]', description: 'Сколько дней отпуска осталось', botId: bot },
];

/** Иван Петров signed in, the room open. */
export function standInState(items: MessageView[] = Object.values(messages)): ClientState {
  return {
    ...emptyClientState(),
    connection: 'connected',
    hubUrl: 'https://hub.example.local',
    me: user(1, 'Иван Петров'),
    users: {
      1: user(1, 'Иван Петров'),
      2: user(2, 'Мария Соколова'),
      [bot]: user(bot, '1С: Управление торговлей', 'online', { login: 'onec', isBot: true }),
    },
    conversations: {
      [room]: conversation(room, 'open', 'Согласования', { memberCount: 3, lastSeq: 203, ownerId: 2 }),
    },
    messages: { [room]: { items, hasOlder: false, loadingOlder: false } },
    activeConversationId: room,
  };
}

/** After the fake bridge: messageAction and runCommand wait for window.__settle(ok, value). */
const waitingAnswers = `(() => {
  const inner = window.besedaBridge.invoke;
  const waiting = [];
  window.__waiting = () => waiting.length;
  window.__settle = (ok, value) => { const w = waiting.shift(); if (w) (ok ? w.resolve(value) : w.reject(value)); };
  window.besedaBridge.invoke = (method, ...args) => {
    const recorded = inner(method, ...args);
    if (method === 'commandsList') return Promise.resolve(${JSON.stringify(commands)});
    if (method !== 'messageAction' && method !== 'runCommand') return recorded;
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
})();`;

const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

/** One opened stand-in page. */
export interface ButtonsPage {
  page: Page;
  /** The bridge calls so far, `[method, ...args]`, minus the start-up ones. */
  calls(): Promise<unknown[][]>;
  /** Answers the oldest waiting messageAction / runCommand (a rejection: `{ code, message }`). */
  settle(ok: boolean, value: unknown): Promise<void>;
  push(patch: StatePatch): Promise<void>;
  close(): Promise<void>;
}

/** Opens the built renderer with the stand-in bridge (compact: a 1C form's size). */
export async function openButtonsPage(
  options: { colorScheme?: 'light' | 'dark'; compact?: boolean; locale?: string; state?: ClientState } = {},
): Promise<ButtonsPage> {
  const { desk, close } = await openDesktopPage(
    csp,
    fakeBridge(options.state ?? standInState(), {
      hubUrl: 'https://hub.example.local',
      branch: null,
      hubUrlLocked: true,
    }) + waitingAnswers,
    [],
    {
      page: {
        colorScheme: options.colorScheme ?? 'light',
        locale: options.locale ?? 'ru-RU',
        ...(options.compact ? { width: 420, height: 640 } : {}),
      },
      query: options.compact ? '?compact=1' : '',
    },
  );
  const page = desk.page;
  const quiet = new Set([
    'getState',
    'deployment',
    'setVisible',
    'setActiveConversation',
    'markSeen',
    'saveDraft',
    'typing',
  ]);
  return {
    page,
    calls: async () =>
      ((await page.evaluate('window.__calls')) as unknown[][]).filter((c) => !quiet.has(c[0] as string)),
    settle: async (ok, value) => {
      await page.waitForFunction('window.__waiting() > 0', undefined, { timeout: 15_000 });
      await page.evaluate(`window.__settle(${ok}, ${JSON.stringify(value)})`);
    },
    push: (patch) => page.evaluate(`window.__pushPatch(${JSON.stringify(patch)})`),
    close,
  };
}

/** The row of a message, by seq. */
export const row = (page: Page, seq: number) => page.locator(`[data-message-row][data-seq="${seq}"]`);

/** Screenshots: /tmp/shots/K3 unless BESEDA_SHOTS says otherwise (never the repository). */
export const shotsDir = process.env.BESEDA_SHOTS ?? '/tmp/shots/K3';

/** Saves a screenshot of the page as `<name>.png` in {@link shotsDir}. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), animations: 'disabled' });
}
