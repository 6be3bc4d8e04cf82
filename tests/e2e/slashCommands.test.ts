// Slash commands with the REAL hub and a real local HTTP server standing in for 1C (issue 18):
// the composer lists the command IT registered after «/», `/остаток 12345` reaches 1C (who asked,
// where, the arguments) and its caller-only answer shows on the caller's page only, never as a
// message; an unknown /word is sent as an ordinary message.
import { describe, expect, it } from 'vitest';
import type { ButtonsHub } from './buttonsOnHub.ts';
import { openRoom, useButtonsHub } from './buttonsOnHub.ts';
import { messagesWithText } from './browser.ts';

const poll = { timeout: 30_000, interval: 100 };

describe('slash commands on a real hub (1C stand-in)', () => {
  let s: ButtonsHub;
  useButtonsHub(
    (ready) => {
      s = ready;
    },
    async (setup) => {
      await setup.hub.admin_('command.add', {
        name: '/остаток',
        bot: 'onec',
        description: 'Остаток товара на складах',
        usage: '<артикул>',
      });
      await openRoom(setup.people.a.page);
      await openRoom(setup.people.b.page);
    },
  );

  it('lists the registered command after «/» and runs it for the caller only', async () => {
    const page = s.people.a.page;
    const box = page.locator('form.composer textarea');
    await box.click();
    await page.keyboard.type('/ост');
    await expect
      .poll(() => page.locator('#command-list .command-option').allTextContents(), poll)
      .toEqual(['/остаток<артикул>Остаток товара на складах']);
    await page.keyboard.press('Tab');
    await page.keyboard.type('12345');
    await page.keyboard.press('Enter');
    const note = page.locator('.command-notes .bot-note.ephemeral');
    await expect.poll(() => note.textContent(), poll).toContain('Артикул 12345: 17 шт. (Самара)');
    expect(await note.textContent()).toContain('Видно только вам');
    const call = s.received.find((r) => r.body?.type === 'command');
    expect(call?.body).toMatchObject({ command: '/остаток', args: '12345', user: { login: 'ivan' } });
    // Never a message: not on Мария's page, not in Иван's list.
    expect(await s.people.b.page.locator('.command-notes').count()).toBe(0);
    expect(await messagesWithText(s.people.b.page, 'Артикул 12345: 17 шт. (Самара)').count()).toBe(0);
    expect(await messagesWithText(page, '/остаток 12345').count()).toBe(0);
  });

  it('sends an unknown /word as an ordinary message', async () => {
    const page = s.people.a.page;
    await page.locator('form.composer textarea').fill('/привет всем');
    await page.keyboard.press('Enter');
    await expect.poll(() => messagesWithText(s.people.b.page, '/привет всем').count(), poll).toBe(1);
  });
});
