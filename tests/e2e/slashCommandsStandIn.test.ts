// Slash commands in the composer (issue 18) on the desktop path with a stand-in bridge: «/» lists
// the registered commands (name, usage, description; arrows, Enter/Tab, Esc as the @ list), a
// known command runs instead of sending and its caller-only answer shows «Видно только вам», an
// unknown /word is sent as text, a failure is said inline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ButtonsPage } from './buttonsStandIn.ts';
import { messages, openButtonsPage, room, row, shot } from './buttonsStandIn.ts';

const poll = { timeout: 15_000, interval: 50 };

describe('slash commands in the composer (stand-in bridge)', () => {
  let p: ButtonsPage;
  const box = () => p.page.locator('textarea.composer-input, form.composer textarea').first();
  const list = () => p.page.locator('#command-list');
  const notes = () => p.page.locator('.command-notes .bot-note');

  beforeAll(async () => {
    p = await openButtonsPage();
    await row(p.page, messages.order.seq).waitFor({ timeout: 15_000 });
  }, 60_000);
  afterAll(async () => {
    await p?.close();
  });

  it('lists the registered commands after «/» and narrows them as the name is typed', async () => {
    await box().click();
    await p.page.keyboard.type('/');
    await expect.poll(() => list().locator('.command-name').allTextContents(), poll).toEqual(['/остаток', '/отпуск']);
    expect(await list().locator('[role="option"]').first().textContent()).toBe(
      '/остаток<артикул>Остаток товара на складах из 1С',
    );
    expect(await box().getAttribute('aria-activedescendant')).toBe(`command-${encodeURIComponent('остаток')}`);
    await shot(p.page, 'slash-list-light');
    await p.page.keyboard.type('отп');
    await expect.poll(() => list().locator('.command-name').allTextContents(), poll).toEqual(['/отпуск']);
    await p.page.keyboard.press('Escape');
    await expect.poll(() => list().count(), poll).toBe(0);
    await box().fill('');
  });

  it('picks a command with the arrows and Enter, then runs it with its arguments instead of sending', async () => {
    await box().click();
    await p.page.keyboard.type('/');
    await list().waitFor({ timeout: 15_000 });
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowUp');
    await p.page.keyboard.press('Enter');
    await expect.poll(() => box().inputValue(), poll).toBe('/остаток ');
    await p.page.keyboard.type('12345');
    await p.page.keyboard.press('Enter');
    await expect.poll(p.calls, poll).toContainEqual(['runCommand', room, '/остаток', '12345']);
    expect((await p.calls()).some((c) => c[0] === 'send')).toBe(false);
    await expect.poll(() => box().inputValue(), poll).toBe('');
    await expect.poll(() => notes().first().getAttribute('aria-busy'), poll).toBe('true');
    await p.settle(true, { visibility: 'caller', text: 'Артикул 12345: 17 шт. (Самара), 4 шт. (Тольятти)' });
    const note = notes().first();
    await expect.poll(() => note.textContent(), poll).toContain('Артикул 12345: 17 шт. (Самара), 4 шт. (Тольятти)');
    expect(await note.textContent()).toContain('Видно только вам');
    expect(await note.getAttribute('class')).toContain('ephemeral');
    await shot(p.page, 'slash-answer-light');
  });

  it('says why a command failed, and sends an unknown /word as an ordinary message', async () => {
    await box().fill('/отпуск');
    await p.page.keyboard.press('Escape');
    await p.page.keyboard.press('Enter');
    await expect.poll(p.calls, poll).toContainEqual(['runCommand', room, '/отпуск', '']);
    await p.settle(false, { name: 'RequestError', code: 'bot_unavailable', message: 'timeout' });
    await expect
      .poll(() => p.page.locator('.command-notes .bot-note.error').textContent(), poll)
      .toBe('Команда /отпуск не выполнена: Бот не отвечает — попробуйте позже');
    await box().fill('/привет всем');
    await p.page.keyboard.press('Enter');
    await expect.poll(p.calls, poll).toContainEqual(['send', room, '/привет всем']);
    // An answer the bot posted to the conversation comes as its message: no note stays.
    const notesBefore = await notes().count();
    await box().fill('/остаток 555');
    await p.page.keyboard.press('Enter');
    await expect.poll(() => notes().count(), poll).toBe(notesBefore + 1);
    await p.settle(true, { visibility: 'conversation', message: { ...messages.plain, seq: 204, text: '555: 3 шт.' } });
    await expect.poll(() => notes().count(), poll).toBe(notesBefore);
    // The × hides a note.
    const before = await notes().count();
    await notes().first().locator('.bot-note-close').click();
    await expect.poll(() => notes().count(), poll).toBe(before - 1);
  });
});

describe('slash commands: dark and compact', () => {
  it('show the list and an answer in the dark theme and a 1C form’s size', async () => {
    for (const options of [{ colorScheme: 'dark' as const }, { compact: true, locale: 'en-US' }]) {
      const p = await openButtonsPage(options);
      try {
        await row(p.page, messages.order.seq).waitFor({ timeout: 15_000 });
        if (options.compact) {
          await p.page.keyboard.press('Escape');
          await expect.poll(() => p.page.locator('.app.sidebar-closed').count(), poll).toBe(1);
        }
        const box = p.page.locator('form.composer textarea');
        await box.click();
        await p.page.keyboard.type('/остаток 12345');
        await p.page.keyboard.press('Enter');
        await p.settle(true, { visibility: 'caller', text: 'Артикул 12345: 17 шт. (Самара)' });
        await p.page.locator('.command-notes .bot-note.ephemeral').waitFor({ timeout: 15_000 });
        await box.fill('/');
        await p.page.locator('#command-list').waitFor({ timeout: 15_000 });
        if (options.compact) {
          expect(await p.page.locator('.command-notes').textContent()).toContain('Only you can see this');
        }
        await shot(p.page, options.compact ? 'slash-compact-en' : 'slash-dark');
      } finally {
        await p.close();
      }
    }
  }, 90_000);
});
