// Buttons on a bot's message (issue 18) on the desktop path with a stand-in bridge: shown with their
// styles, a click is pending until the answer, then the updated message (no buttons), an answer for
// this person only, or a refusal / «already clicked» / an unavailable bot said inline; a counted
// click disables its button; the keyboard presses them. Screenshots light, dark, compact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ButtonsPage } from './buttonsStandIn.ts';
import { messages, openButtonsPage, room, row, shot } from './buttonsStandIn.ts';

const poll = { timeout: 15_000, interval: 50 };

describe('message buttons (stand-in bridge)', () => {
  let p: ButtonsPage;
  const button = (seq: number, id: string) => row(p.page, seq).locator(`.msg-button[data-action-id="${id}"]`);

  beforeAll(async () => {
    p = await openButtonsPage();
    await row(p.page, messages.order.seq).waitFor({ timeout: 15_000 });
  }, 60_000);
  afterAll(async () => {
    await p?.close();
  });

  it('shows the buttons under the bot message with their labels and styles', async () => {
    const group = row(p.page, messages.order.seq).getByRole('group', { name: 'Кнопки сообщения' });
    await expect
      .poll(() => group.locator('button').allTextContents(), poll)
      .toEqual(['Согласовать', 'Отклонить', 'Подробнее']);
    expect(await button(messages.order.seq, 'approve').getAttribute('class')).toContain('primary');
    expect(await button(messages.order.seq, 'reject').getAttribute('class')).toContain('danger');
    expect(await row(p.page, messages.plain.seq).locator('.msg-button').count()).toBe(0);
    await shot(p.page, 'buttons-light');
  });

  it('is pending while the bot answers, then shows the updated message without buttons', async () => {
    await button(messages.order.seq, 'approve').click();
    await expect.poll(p.calls, poll).toContainEqual(['messageAction', room, messages.order.seq, 'approve']);
    const group = row(p.page, messages.order.seq).locator('.msg-buttons');
    await expect.poll(() => group.getAttribute('aria-busy'), poll).toBe('true');
    expect(await button(messages.order.seq, 'reject').isDisabled()).toBe(true);
    expect(await button(messages.order.seq, 'approve').locator('.spinner').count()).toBe(1);
    await shot(p.page, 'buttons-pending');
    await p.settle(true, { outcome: 'updated' });
    const updated = { ...messages.order, text: 'Согласовано: Иван Петров, 12:40', actions: [], editedAt: Date.now() };
    await p.push({
      messages: {
        [room]: {
          items: [updated, messages.stock, messages.plain],
          hasOlder: false,
          loadingOlder: false,
        },
      },
    });
    await expect.poll(() => row(p.page, messages.order.seq).locator('.msg-button').count(), poll).toBe(0);
    expect(await row(p.page, messages.order.seq).textContent()).toContain('Согласовано: Иван Петров, 12:40');
  });

  it('shows an answer for this person only and disables the counted button', async () => {
    await button(messages.stock.seq, 'balance').click();
    await p.settle(true, { outcome: 'ephemeral', text: 'Остатки Самара: 12 позиций, 1 240 шт.' });
    const note = row(p.page, messages.stock.seq).locator('.bot-note.ephemeral');
    await expect.poll(() => note.textContent(), poll).toContain('Видно только вам');
    expect(await note.textContent()).toContain('Остатки Самара: 12 позиций, 1 240 шт.');
    await expect.poll(() => button(messages.stock.seq, 'balance').isDisabled(), poll).toBe(true);
    expect(await button(messages.stock.seq, 'ack').isDisabled()).toBe(false);
    await shot(p.page, 'buttons-ephemeral');
  });

  it('says a refusal with the bot’s reason and leaves the button to try again', async () => {
    await button(messages.stock.seq, 'ack').click();
    await p.settle(false, {
      name: 'RequestError',
      code: 'refused',
      message: 'Документ заблокирован другим пользователем',
    });
    const error = row(p.page, messages.stock.seq).locator('.bot-note.error');
    await expect.poll(() => error.textContent(), poll).toBe('Отклонено: Документ заблокирован другим пользователем');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await button(messages.stock.seq, 'ack').isDisabled()).toBe(false);
    await shot(p.page, 'buttons-refused');
  });

  it('says an unavailable bot and an earlier click; the keyboard presses a button', async () => {
    const ack = button(messages.stock.seq, 'ack');
    await ack.focus();
    await p.page.keyboard.press('Enter');
    await expect
      .poll(async () => (await p.calls()).filter((c) => c[0] === 'messageAction' && c[3] === 'ack').length, poll)
      .toBe(2);
    await p.settle(false, { name: 'RequestError', code: 'bot_unavailable', message: 'timeout' });
    const error = row(p.page, messages.stock.seq).locator('.bot-note.error');
    await expect.poll(() => error.textContent(), poll).toBe('Бот не отвечает — попробуйте позже');
    await ack.focus();
    await p.page.keyboard.press('Space');
    await p.settle(false, { name: 'RequestError', code: 'already_clicked', message: 'already clicked' });
    await expect.poll(() => error.textContent(), poll).toBe('Вы уже нажали эту кнопку');
    await expect.poll(() => ack.isDisabled(), poll).toBe(true);
  });
});

describe('message buttons: dark and compact, English', () => {
  it('look right in the dark theme and in a 1C form’s size, in English', async () => {
    const dark = await openButtonsPage({ colorScheme: 'dark' });
    try {
      await row(dark.page, messages.order.seq).waitFor({ timeout: 15_000 });
      await row(dark.page, messages.stock.seq).locator('.msg-button[data-action-id="balance"]').click();
      await dark.settle(true, { outcome: 'ephemeral', text: 'Остатки Самара: 12 позиций, 1 240 шт.' });
      await row(dark.page, messages.stock.seq).locator('.bot-note').waitFor({ timeout: 15_000 });
      await shot(dark.page, 'buttons-dark');
    } finally {
      await dark.close();
    }
    const compact = await openButtonsPage({ compact: true, locale: 'en-US' });
    try {
      await row(compact.page, messages.order.seq).waitFor({ timeout: 15_000 });
      // The compact layout starts with the conversation list over the conversation: Esc hides it.
      await compact.page.keyboard.press('Escape');
      await expect.poll(() => compact.page.locator('.app.sidebar-closed').count(), poll).toBe(1);
      await row(compact.page, messages.stock.seq).locator('.msg-button[data-action-id="balance"]').click();
      await compact.settle(true, { outcome: 'ephemeral', text: 'Samara stock: 12 items' });
      const note = row(compact.page, messages.stock.seq).locator('.bot-note');
      await expect.poll(() => note.textContent(), poll).toContain('Only you can see this');
      await row(compact.page, messages.order.seq).locator('.msg-button[data-action-id="reject"]').click();
      await compact.settle(false, { name: 'RequestError', code: 'refused', message: 'Order is already shipped' });
      await expect
        .poll(() => row(compact.page, messages.order.seq).locator('.bot-note.error').textContent(), poll)
        .toBe('Refused: Order is already shipped');
      await shot(compact.page, 'buttons-compact-en');
    } finally {
      await compact.close();
    }
  }, 90_000);
});
