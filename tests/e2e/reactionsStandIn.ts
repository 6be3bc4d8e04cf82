// The stand-in state of the reactions, pins and forwarding tests (issue 13) on the desktop path:
// a room with reactions (mine among them, one message at the hub's limit, one on its way), pinned
// and forwarded messages, and the conversations a message can be forwarded to.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, MessageView } from '../../common/client/ClientState.ts';
import type { Message } from '../../common/protocol/model.ts';
import type { WatchedPage } from './browser.ts';
import { fakeBridge } from './fakeBridge.ts';
import { openDesktopPage } from './openDesktopPage.ts';
import { conversation, user } from './sampleState.ts';

/** The room most tests look at, and the other conversations. */
export const room = 12;
export const closedRoom = 13;
export const general = 10;
export const direct = 11;

const base = Date.UTC(2026, 11, 2, 9, 0);

const message = (
  seq: number,
  conversationId: number,
  senderId: number,
  text: string,
  extra: Partial<MessageView> = {},
): MessageView => ({
  seq,
  conversationId,
  senderId,
  clientId: `client-${seq}-standin`,
  kind: 'text',
  text,
  ts: base + seq * 60_000,
  mentions: [],
  mentionsAll: false,
  status: 'sent',
  ...extra,
});

const plain = (m: MessageView): Message => {
  const { status: _status, pendingChange: _p, changeError: _c, uploads: _u, error: _e, ...rest } = m;
  return rest;
};

/** The room's messages, by seq. */
export const messages = {
  report: message(101, room, 2, 'Коллеги, отчёт за квартал готов — посмотрите, пожалуйста.\nСсылка в общей папке.', {
    reactions: [
      { emoji: '👍', userIds: [3, 1, 4, 5, 6] },
      { emoji: '❤️', userIds: [2] },
      { emoji: '🎉', userIds: [3, 4] },
    ],
    pinned: { by: 2, at: base + 200 * 60_000 },
  }),
  thanks: message(102, room, 1, 'Спасибо! Посмотрю сегодня.', { reactions: [{ emoji: '🙏', userIds: [2] }] }),
  forwarded: message(103, room, 3, 'Напоминаю: в пятницу сдаём акты сверки.', {
    forwarded: { senderId: 4, ts: base - 86_400_000 },
    pinned: { by: 1, at: base + 300 * 60_000 },
  }),
  full: message(104, room, 4, 'Обед в 13:00?', {
    reactions: [
      { emoji: '👍', userIds: [2] },
      { emoji: '🍕', userIds: [3] },
      { emoji: '🥗', userIds: [5] },
      { emoji: '☕', userIds: [6] },
    ],
  }),
  pending: message(105, room, 5, 'Кто возьмёт задачу по сверке?', {
    reactions: [{ emoji: '👀', userIds: [1] }],
    pendingChange: 'react',
  }),
  plain: message(106, room, 2, 'Без реакций пока что.'),
};

/** The state the stand-in bridge answers: Иван Петров signed in, the room open. */
export function standInState(): ClientState {
  const items = Object.values(messages);
  return {
    ...emptyClientState(),
    connection: 'connected',
    hubUrl: 'https://hub.example.local',
    limits: {
      maxTextBytes: 16_384,
      maxFrameBytes: 1_048_576,
      historyPageMax: 200,
      syncPageMax: 1000,
      maxFileBytes: 100_000_000,
      maxFilesPerMessage: 10,
      editWindowMs: 0,
      maxReactionsPerMessage: 4,
    },
    me: user(1, 'Иван Петров'),
    users: {
      1: user(1, 'Иван Петров'),
      2: user(2, 'Мария Соколова'),
      3: user(3, 'Пётр Смирнов'),
      4: user(4, 'Ольга Кузнецова'),
      5: user(5, 'Анна Попова'),
      6: user(6, 'Сергей Волков'),
    },
    conversations: {
      [general]: conversation(general, 'general', 'Общий чат', { memberCount: 40, lastSeq: 50, pinRule: 'owners' }),
      [direct]: conversation(direct, 'direct', 'Мария Соколова', { peerId: 2, lastSeq: 60, lastTs: base }),
      [room]: conversation(room, 'open', 'Проект Альфа', {
        ownerId: 1,
        memberCount: 6,
        lastSeq: 106,
        pinRule: 'members',
      }),
      [closedRoom]: conversation(closedRoom, 'closed', 'Бухгалтерия', {
        ownerId: 2,
        memberCount: 4,
        pinRule: 'owners',
      }),
      14: conversation(14, 'open', 'Архив 2025', { ownerId: 2, archived: true }),
    },
    messages: { [room]: { items, hasOlder: false, loadingOlder: false } },
    activeConversationId: room,
    pins: { [room]: [plain(messages.forwarded), plain(messages.report)] },
  };
}

/** The CSP the desktop app's pages load under (as in desktopBridge.test.ts). */
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

/** One opened stand-in page and how to read what it asked the bridge. */
export interface StandInPage {
  desk: WatchedPage;
  page: Page;
  /** The bridge calls so far, `[method, ...args]`, minus the start-up ones. */
  calls(): Promise<unknown[][]>;
  close(): Promise<void>;
}

/**
 * Serves the built renderer and opens it with the stand-in bridge answering `state`, in the given
 * colour scheme, language and layout (`compact`: `?compact=1`, a 1C form's size).
 */
export async function openStandIn(
  state: ClientState,
  options: { colorScheme?: 'light' | 'dark'; compact?: boolean; locale?: string } = {},
): Promise<StandInPage> {
  const { desk, close } = await openDesktopPage(
    csp,
    fakeBridge(state, { hubUrl: 'https://hub.example.local', branch: null, hubUrlLocked: true }),
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
  const quiet = new Set(['getState', 'deployment', 'setVisible', 'setActiveConversation']);
  const calls = async () =>
    ((await desk.page.evaluate('window.__calls')) as unknown[][]).filter((c) => !quiet.has(c[0] as string));
  return { desk, page: desk.page, calls, close };
}

/**
 * Registers the hooks of a stand-in test file: before all, open the stand-in on
 * {@link standInState} and wait for the report message, then hand the page to `opened`; after
 * all, close it.
 */
export function useStandIn(opened: (p: StandInPage) => void): void {
  let p: StandInPage | undefined;
  beforeAll(async () => {
    p = await openStandIn(standInState());
    await row(p.page, messages.report.seq).waitFor({ timeout: 15_000 });
    opened(p);
  }, 60_000);
  afterAll(async () => {
    await p?.close();
  });
}

/** The row of a message, by seq. */
export const row = (page: Page, seq: number) => page.locator(`[data-message-row][data-seq="${seq}"]`);

/** Where the screenshots go: a temp folder, never the repository (BESEDA_SHOTS overrides). */
export const shotsDir = process.env.BESEDA_SHOTS ?? path.join(os.tmpdir(), 'beseda-actions-shots');

/** Saves a screenshot of the page (or of one element) as `<name>.png` in {@link shotsDir}. */
export async function shot(page: Page, name: string, clip?: Locator): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  const file = path.join(shotsDir, `${name}.png`);
  if (clip) await clip.screenshot({ path: file, animations: 'disabled' });
  else await page.screenshot({ path: file, animations: 'disabled' });
}
