// The setup of the real-hub buttons and slash-command tests (issue 18): a hub that may call
// 127.0.0.1, a real local HTTP server standing in for 1C's callback service (K1's receiver), the
// bot `onec` with that callback URL in room «Согласования» with Иван and Мария, both signed in
// in Chromium.
import type { Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import type { MessageAction } from '../../common/protocol/model.ts';
import { startReceiver, type Received } from '../callbacks/receiver.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { http } from '../integrations/integrationHelpers.ts';
import { conversationItem } from './browser.ts';
import { twoPeopleOnHub } from './twoPeopleOnHub.ts';
import type { TwoPeople } from './twoPeopleSignedIn.ts';

export const roomName = 'Согласования';

/**
 * How the stand-in for 1C answers: a button by its action id, a command by its name. approve →
 * the message updated without buttons; balance → for the clicking person only; reject → refused;
 * /остаток → the caller only.
 */
export function answerAs1C(r: Received): { status: number; body?: string } {
  const body = r.body as {
    type?: string;
    action?: { id: string };
    command?: string;
    args?: string;
    user?: { name: string };
  };
  if (body?.type === 'action') {
    if (body.action?.id === 'approve')
      return {
        status: 200,
        body: JSON.stringify({ update: { text: 'Согласовано: Иван Петров, 12:40', actions: [] } }),
      };
    if (body.action?.id === 'balance') return { status: 200, body: JSON.stringify({ ephemeral: 'Остаток: 17 шт.' }) };
    if (body.action?.id === 'reject')
      return { status: 200, body: JSON.stringify({ refuse: 'Документ заблокирован другим пользователем' }) };
    return { status: 200, body: '{}' };
  }
  if (body?.type === 'command' && body.command === '/остаток')
    return {
      status: 200,
      body: JSON.stringify({ text: `Артикул ${body.args}: 17 шт. (Самара)`, visibility: 'caller' }),
    };
  return { status: 200, body: '{}' };
}

/** What a test file gets once the hooks ran. */
export interface ButtonsHub {
  hub: TestHub;
  people: TwoPeople;
  botToken: string;
  /** The callback's signing secret, shown once by bot.add. */
  secret: string;
  received: Received[];
  /** The bot posts to the room; returns the message's seq. */
  post(text: string, actions?: MessageAction[]): Promise<number>;
}

/** Registers the hooks; `ready` gets the setup once it is done. */
export function useButtonsHub(ready: (s: ButtonsHub) => void, more?: (s: ButtonsHub) => Promise<void>): void {
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  afterAll(async () => {
    await receiver?.close();
  });
  twoPeopleOnHub(
    async ({ hub, people }) => {
      receiver = await startReceiver(answerAs1C);
      await hub.admin_('room.add', { name: roomName, members: ['ivan', 'maria'] });
      const added = (await hub.admin_('bot.add', {
        login: 'onec',
        name: '1С: Управление торговлей',
        rooms: [roomName],
        callbackUrl: receiver.url,
      })) as { token: string; callback: { secret: string } };
      const s: ButtonsHub = {
        hub,
        people,
        botToken: added.token,
        secret: added.callback.secret,
        received: receiver.received,
        post: async (text, actions) => {
          const answer = await http(hub, 'POST', '/api/v1/messages', {
            token: added.token,
            json: { to: `#${roomName}`, text, ...(actions ? { actions } : {}) },
          });
          expect(answer.status, answer.text).toBe(201);
          return (JSON.parse(answer.text) as { message: { seq: number } }).message.seq;
        },
      };
      await more?.(s);
      ready(s);
    },
    { hubArgs: ['--callback-allow', '127.0.0.1'] },
  );
}

/** Opens the room on a page. */
export async function openRoom(page: Page): Promise<void> {
  await conversationItem(page, roomName).click();
  await page.locator('.conversation-header, header').filter({ hasText: roomName }).first().waitFor({ timeout: 15_000 });
}

/** The row of a message, by seq. */
export const row = (page: Page, seq: number) => page.locator(`[data-message-row][data-seq="${seq}"]`);
