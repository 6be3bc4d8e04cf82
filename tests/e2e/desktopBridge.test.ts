// The desktop path of the built renderer in Chromium: with `window.besedaBridge` present it talks
// only to the bridge (the Electron boundary, recorded here by a page-side fake standing in for the
// preload script), shows the state the main process sends, and leaves the tab title alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, MessageView, StatePatch } from '../../common/client/ClientState.ts';
import { conversationItem, messagesWithText } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { fakeBridge } from './fakeBridge.ts';
import { conversation, user } from './sampleState.ts';
import { type DesktopPage, openDesktopPage } from './openDesktopPage.ts';

const poll = { timeout: 15_000, interval: 50 };

const message = (seq: number, conversationId: number, senderId: number, text: string): MessageView => ({
  seq,
  conversationId,
  senderId,
  clientId: `client-${seq}-xx`,
  kind: 'text',
  text,
  ts: Date.now() - 60_000 + seq,
  mentions: [],
  mentionsAll: false,
  status: 'sent',
});

const state: ClientState = {
  ...emptyClientState(),
  connection: 'connected',
  hubUrl: 'https://hub.example.local',
  me: user(1, 'Иван Петров', 'online'),
  users: { 1: user(1, 'Иван Петров', 'online'), 2: user(2, 'Мария Иванова', 'away') },
  conversations: {
    10: conversation(10, 'general', 'Общий чат', { memberCount: 40, lastSeq: 2 }),
    11: conversation(11, 'direct', 'Мария Иванова', { peerId: 2, unread: 1, mentions: 1, lastSeq: 3 }),
  },
  messages: {
    10: {
      items: [message(1, 10, 2, 'Доброе утро!'), message(2, 10, 1, 'Ссылка: https://example.com/a')],
      hasOlder: false,
      loadingOlder: false,
    },
  },
  totalUnread: 1,
  totalMentions: 1,
};

describe('desktop renderer over the preload bridge', () => {
  let opened: DesktopPage | undefined;
  let url: string;
  let desk: WatchedPage;
  const requested: string[] = [];
  const calls = async () => (await desk.page.evaluate('window.__calls')) as unknown[][];
  const push = (patch: StatePatch) => desk.page.evaluate(`window.__pushPatch(${JSON.stringify(patch)})`);

  beforeAll(async () => {
    // The built files, served as they are, under the same CSP the hub sends.
    opened = await openDesktopPage(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'",
      fakeBridge(state, { hubUrl: 'https://hub.example.local', branch: null, hubUrlLocked: true }),
      requested,
    );
    ({ url, desk } = opened);
  }, 30_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('starts from the state the main process gives and opens the general room', async () => {
    await expect.poll(() => messagesWithText(desk.page, 'Доброе утро!').count(), poll).toBe(1);
    const invoked = (await calls()).map((c) => c[0]);
    expect(invoked).toContain('getState');
    expect(invoked).toContain('setVisible');
    expect(await calls()).toContainEqual(['setActiveConversation', 10]);
    // Nothing but the bridge: no sign-in, and the in-page client core is never even loaded.
    expect(await desk.page.locator('input[name="password"]').count()).toBe(0);
    expect(requested.filter((u) => u.includes('createInPageBackend'))).toEqual([]);
    expect(requested.some((u) => u.startsWith('ws'))).toBe(false);
  });

  it('sends through the bridge and shows what the patches say', async () => {
    const box = desk.page.getByRole('textbox', { name: 'Текст сообщения' });
    await box.fill('Привет из окна');
    await box.press('Enter');
    await expect.poll(calls, poll).toContainEqual(['send', 10, 'Привет из окна']);
    await push({
      messages: {
        10: {
          items: [...state.messages[10]!.items, message(4, 10, 1, 'Привет из окна')],
          hasOlder: false,
          loadingOlder: false,
        },
      },
    });
    await expect.poll(() => messagesWithText(desk.page, 'Привет из окна').count(), poll).toBe(1);
  });

  it('opens links through the bridge, never in the window', async () => {
    await messagesWithText(desk.page, 'Ссылка:').locator('a').click();
    await expect.poll(calls, poll).toContainEqual(['openExternal', 'https://example.com/a']);
    expect(desk.page.url()).toBe(url);
  });

  it('opens the conversation a clicked notification names', async () => {
    await desk.page.evaluate('window.__navigate(11)');
    await expect.poll(() => desk.page.locator('.conv-header h1').textContent(), poll).toBe('Мария Иванова');
    await expect.poll(calls, poll).toContainEqual(['setActiveConversation', 11]);
  });

  it('leaves badges to the desktop shell: the title stays the app name', async () => {
    await push({ totalUnread: 5, conversations: { 10: conversation(10, 'general', 'Общий чат', { unread: 5 }) } });
    await expect.poll(() => conversationItem(desk.page, 'Общий чат').locator('.badge').textContent(), poll).toBe('5');
    expect(await desk.page.title()).toBe('Беседа');
    expect(await desk.page.locator('link[rel="icon"]').getAttribute('href')).toBe('./favicon.svg');
    expect(desk.errors).toEqual([]);
    expect(desk.cspViolations).toEqual([]);
  });
});
