// Buttons with the REAL hub and a real local HTTP server standing in for 1C (issue 18): Chromium
// shows the bot's buttons; Иван's click reaches 1C once (signed, with his login and the action),
// and 1C's update («Согласовано: Иван Петров, 12:40», no buttons) reaches Иван's and Мария's
// pages; an answer for the clicking person only shows on that page only; a refusal is said with
// its reason; a double click runs the action once.
import { describe, expect, it } from 'vitest';
import { verifyCall } from '../callbacks/receiver.ts';
import type { ButtonsHub } from './buttonsOnHub.ts';
import { openRoom, row, useButtonsHub } from './buttonsOnHub.ts';
import { shot } from './buttonsStandIn.ts';

const poll = { timeout: 30_000, interval: 100 };

describe('buttons on a real hub (1C stand-in)', () => {
  let s: ButtonsHub;
  let order = 0;
  let stock = 0;
  useButtonsHub(
    (ready) => {
      s = ready;
    },
    async (setup) => {
      order = await setup.post('Согласуйте заказ №17 на 48 500 ₽', [
        { id: 'approve', label: 'Согласовать', value: 'approve:17', style: 'primary' },
        { id: 'reject', label: 'Отклонить', value: 'reject:17', style: 'danger' },
      ]);
      stock = await setup.post('Поступление на склад Самара', [
        { id: 'balance', label: 'Показать остатки', value: 'balance:samara' },
        { id: 'ack', label: 'Принято', value: 'ack' },
        { id: 'reject', label: 'Отклонить', value: 'reject:samara', style: 'danger' },
      ]);
      await openRoom(setup.people.a.page);
      await openRoom(setup.people.b.page);
    },
  );
  const actionCalls = (id: string) => s.received.filter((r) => r.body?.type === 'action' && r.body.action?.id === id);
  const button = (page: 'a' | 'b', seq: number, id: string) =>
    row(s.people[page].page, seq).locator(`.msg-button[data-action-id="${id}"]`);

  it('shows the buttons to both people', async () => {
    for (const p of ['a', 'b'] as const) {
      await expect
        .poll(() => row(s.people[p].page, order).locator('.msg-button').allTextContents(), poll)
        .toEqual(['Согласовать', 'Отклонить']);
    }
  });

  it('a click reaches 1C once and its update reaches every member, without the buttons', async () => {
    await button('a', order, 'approve').click();
    for (const p of ['a', 'b'] as const) {
      await expect
        .poll(() => row(s.people[p].page, order).textContent(), poll)
        .toContain('Согласовано: Иван Петров, 12:40');
      await expect.poll(() => row(s.people[p].page, order).locator('.msg-button').count(), poll).toBe(0);
    }
    await shot(s.people.b.page, 'hub-updated-maria');
    const calls = actionCalls('approve');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({
      type: 'action',
      action: { id: 'approve', value: 'approve:17' },
      user: { login: 'ivan', name: 'Иван Петров' },
      message: { seq: order },
    });
    expect(verifyCall(s.secret, calls[0]!.headers, calls[0]!.raw)).toBe(true);
  });

  it('an answer for the clicking person shows on that page only', async () => {
    await button('b', stock, 'balance').click();
    const note = row(s.people.b.page, stock).locator('.bot-note.ephemeral');
    await expect.poll(() => note.textContent(), poll).toContain('Остаток: 17 шт.');
    expect(await note.textContent()).toContain('Видно только вам');
    expect(actionCalls('balance')[0]!.body.user).toMatchObject({ login: 'maria' });
    expect(await row(s.people.a.page, stock).locator('.bot-note').count()).toBe(0);
    expect(await row(s.people.a.page, stock).textContent()).not.toContain('Остаток: 17 шт.');
    await shot(s.people.b.page, 'hub-ephemeral-maria');
  });

  it('a refusal is said with 1C’s reason; a double click runs the action once', async () => {
    await button('a', stock, 'reject').click();
    await expect
      .poll(() => row(s.people.a.page, stock).locator('.bot-note.error').textContent(), poll)
      .toBe('Отклонено: Документ заблокирован другим пользователем');
    expect(await button('a', stock, 'reject').isDisabled()).toBe(false);
    await button('a', stock, 'ack').dblclick();
    await expect.poll(() => button('a', stock, 'ack').isDisabled(), poll).toBe(true);
    // Give a second call time to arrive if one had been made, then count.
    await expect.poll(() => actionCalls('ack').length, poll).toBe(1);
    await s.people.a.page.reload();
    await openRoom(s.people.a.page);
    await button('a', stock, 'ack').click();
    await expect
      .poll(() => row(s.people.a.page, stock).locator('.bot-note.error').textContent(), poll)
      .toBe('Вы уже нажали эту кнопку');
    expect(actionCalls('ack')).toHaveLength(1);
  });
});
