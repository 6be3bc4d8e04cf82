// Forwarding on the desktop path (stand-in bridge): the message menu's «Переслать» opens the
// dialog with a preview and the user's conversations (archived rooms left out); typing filters,
// arrows move, Enter forwards through `forward`, a notice says where, the dialog closes. A
// forwarded message says whose it was.
import { describe, expect, it } from 'vitest';
import { direct, general, messages, room, row, useStandIn } from './reactionsStandIn.ts';
import type { StandInPage } from './reactionsStandIn.ts';

const poll = { timeout: 15_000, interval: 50 };

describe('forwarding (stand-in bridge)', () => {
  let p: StandInPage;
  const dialog = () => p.page.getByRole('dialog', { name: 'Переслать сообщение' });
  const open = async (seq: number) => {
    await row(p.page, seq).locator('.bubble').click({ button: 'right' });
    await p.page.getByRole('menuitem', { name: 'Переслать' }).click();
    await dialog().waitFor({ timeout: 15_000 });
  };

  useStandIn((opened) => {
    p = opened;
  });

  it('says a forwarded message is someone else’s, with the original’s time as its hint', async () => {
    const from = row(p.page, messages.forwarded.seq).locator('[data-forwarded]');
    await expect.poll(() => from.textContent(), poll).toBe('Переслано от Ольга Кузнецова');
    expect(await from.getAttribute('title')).toMatch(/^Исходное сообщение: .*1 декабря/);
    expect(await row(p.page, messages.report.seq).locator('[data-forwarded]').count()).toBe(0);
  });

  it('shows a preview and the conversations, archived rooms left out', async () => {
    await open(messages.report.seq);
    expect(await dialog().locator('.forward-preview-author').textContent()).toBe('Мария Соколова');
    expect(await dialog().locator('.forward-preview-text').textContent()).toBe(
      'Коллеги, отчёт за квартал готов — посмотрите, пожалуйста. Ссылка в общей папке.',
    );
    const names = await dialog().locator('[role="option"] .switch-name').allTextContents();
    expect(names).toEqual(['Общий чат', 'Бухгалтерия', 'Проект Альфа', 'Мария Соколова']);
    await p.page.keyboard.press('Escape');
    await expect.poll(() => dialog().count(), poll).toBe(0);
    expect((await p.calls()).filter((c) => c[0] === 'forward')).toEqual([]);
  });

  it('forwards by keyboard: type to filter, arrows, Enter; a notice says where', async () => {
    await open(messages.report.seq);
    const filter = dialog().getByRole('combobox', { name: 'Найти разговор' });
    await expect.poll(() => filter.evaluate((el) => el === document.activeElement), poll).toBe(true);
    await p.page.keyboard.type('мар');
    await expect.poll(() => dialog().locator('[role="option"]').allTextContents(), poll).toEqual(['МСМария Соколова']);
    await p.page.keyboard.press('Backspace');
    await p.page.keyboard.press('Backspace');
    await p.page.keyboard.press('Backspace');
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowUp');
    await p.page.keyboard.press('ArrowUp');
    // Up from the first wraps to the last: the direct conversation.
    await expect.poll(() => dialog().locator('[aria-selected="true"]').textContent(), poll).toContain('Мария Соколова');
    await p.page.keyboard.press('Enter');
    await expect.poll(p.calls, poll).toContainEqual(['forward', room, messages.report.seq, direct]);
    await expect.poll(() => dialog().count(), poll).toBe(0);
    await expect
      .poll(() => p.page.locator('.toast').allTextContents(), poll)
      .toContainEqual(expect.stringContaining('Переслано в «Мария Соколова»'));
  });

  it('forwards with a click', async () => {
    await open(messages.thanks.seq);
    await dialog().getByRole('option', { name: 'Общий чат' }).click();
    await expect.poll(p.calls, poll).toContainEqual(['forward', room, messages.thanks.seq, general]);
    await expect.poll(() => dialog().count(), poll).toBe(0);
    expect(p.desk.errors).toEqual([]);
  });
});
