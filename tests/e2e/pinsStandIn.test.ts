// Pins on the desktop path (stand-in bridge): opening a conversation loads its pins, the header's
// button counts them, the panel lists them (author, first line, date), a click shows the message
// (showMessage), × unpins where the pin rule allows, the pin mark is by the time, and the room
// settings set the rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientState } from '../../common/client/ClientState.ts';
import { closedRoom, messages, openStandIn, room, row, standInState } from './reactionsStandIn.ts';
import type { StandInPage } from './reactionsStandIn.ts';

const poll = { timeout: 15_000, interval: 50 };

describe('pinned messages (stand-in bridge)', () => {
  let p: StandInPage;
  const panel = () => p.page.locator('[data-pins-panel]');
  const button = () => p.page.locator('[data-pins-button]');

  beforeAll(async () => {
    const state: ClientState = standInState();
    // A closed room whose owner is someone else and whose rule is «owners»: Иван may not unpin there.
    state.messages[closedRoom] = {
      items: [{ ...messages.plain, seq: 201, conversationId: closedRoom, pinned: { by: 2, at: 1 } }],
      hasOlder: false,
      loadingOlder: false,
    };
    const { status: _s, ...pinnedThere } = state.messages[closedRoom].items[0]!;
    state.pins[closedRoom] = [pinnedThere];
    p = await openStandIn(state);
    await row(p.page, messages.report.seq).waitFor({ timeout: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await p?.close();
  });

  it('loads the pins of the open conversation and counts them in the header', async () => {
    await expect.poll(p.calls, poll).toContainEqual(['loadPins', room]);
    await expect.poll(() => button().textContent(), poll).toBe('2');
    expect(await button().getAttribute('aria-label')).toBe('Закреплённые сообщения: 2 закреплённых');
  });

  it('marks a pinned message by its time, saying who pinned it', async () => {
    const mark = row(p.page, messages.report.seq).locator('[data-pinned]');
    await expect.poll(() => mark.count(), poll).toBe(1);
    expect(await mark.getAttribute('title')).toMatch(/^Закреплено: Мария Соколова, /);
    expect(await row(p.page, messages.thanks.seq).locator('[data-pinned]').count()).toBe(0);
  });

  it('lists pinned messages newest pin first with author, first line and date', async () => {
    await button().click();
    await panel().waitFor({ timeout: 15_000 });
    const items = panel().locator('.pin-item');
    await expect.poll(() => items.count(), poll).toBe(2);
    expect(await items.nth(0).locator('.pin-author').textContent()).toBe('Пётр Смирнов');
    expect(await items.nth(1).locator('.pin-author').textContent()).toBe('Мария Соколова');
    // Only the first line, as plain text.
    expect(await items.nth(1).locator('.pin-text').textContent()).toBe(
      'Коллеги, отчёт за квартал готов — посмотрите, пожалуйста.',
    );
    expect(await items.nth(1).locator('.pin-date').textContent()).toMatch(/13:41/);
    // The first item has the focus; Esc closes and gives it back to the button.
    await expect
      .poll(
        () =>
          items
            .nth(0)
            .locator('.pin-jump')
            .evaluate((el) => el === document.activeElement),
        poll,
      )
      .toBe(true);
    await p.page.keyboard.press('Escape');
    await expect.poll(() => panel().count(), poll).toBe(0);
    await expect.poll(() => button().evaluate((el) => el === document.activeElement), poll).toBe(true);
  });

  it('shows a pinned message with showMessage when clicked', async () => {
    await button().click();
    await panel().locator('.pin-item').nth(1).locator('.pin-jump').click();
    await expect.poll(p.calls, poll).toContainEqual(['showMessage', room, messages.report.seq]);
    await expect.poll(() => panel().count(), poll).toBe(0);
  });

  it('unpins from the panel where the rule allows', async () => {
    await button().click();
    const unpin = panel()
      .locator('.pin-item')
      .nth(0)
      .getByRole('button', { name: /^Открепить/ });
    await unpin.click();
    await expect.poll(p.calls, poll).toContainEqual(['pin', room, messages.forwarded.seq, false]);
    await p.page.keyboard.press('Escape');
  });

  it('offers no unpinning in a room where only its owner may pin', async () => {
    await p.page.locator('nav.sidebar .conv-item', { hasText: 'Бухгалтерия' }).click();
    await expect.poll(p.calls, poll).toContainEqual(['loadPins', closedRoom]);
    await expect.poll(() => button().textContent(), poll).toBe('1');
    await button().click();
    await expect.poll(() => panel().locator('.pin-item').count(), poll).toBe(1);
    expect(
      await panel()
        .getByRole('button', { name: /^Открепить/ })
        .count(),
    ).toBe(0);
    await p.page.keyboard.press('Escape');
  });

  it('lets the room’s owner choose who may pin, read-only for others', async () => {
    // Бухгалтерия is Мария's: Иван sees the rule but cannot change it.
    await p.page.getByRole('button', { name: 'Настройки комнаты' }).click();
    const rule = p.page.locator('[data-pin-rule] fieldset');
    await rule.waitFor({ timeout: 15_000 });
    expect(await p.page.getByRole('radio', { name: 'Все участники' }).isDisabled()).toBe(true);
    expect(await p.page.getByRole('radio', { name: /Только владелец/ }).isChecked()).toBe(true);
    await p.page.keyboard.press('Escape');

    await p.page.locator('nav.sidebar .conv-item', { hasText: 'Проект Альфа' }).click();
    await p.page.getByRole('button', { name: 'Настройки комнаты' }).click();
    await rule.waitFor({ timeout: 15_000 });
    expect(await p.page.getByRole('radio', { name: 'Все участники' }).isDisabled()).toBe(false);
    expect(await p.page.getByRole('radio', { name: 'Все участники' }).isChecked()).toBe(true);
    // Saved at once, and shown chosen while the room's change is on its way.
    await p.page.getByRole('radio', { name: /Только владелец/ }).check();
    await expect.poll(p.calls, poll).toContainEqual(['updateRoom', room, { pinRule: 'owners' }]);
    expect(await p.page.getByRole('radio', { name: /Только владелец/ }).isChecked()).toBe(true);
    expect(p.desk.errors).toEqual([]);
  });
});
