// Reactions on the desktop path (stand-in bridge): the chips say who reacted, a click toggles the
// user's own through `react`, the picker works from the keyboard, and at the hub's limit only the
// message's existing emoji can be added.
import { describe, expect, it } from 'vitest';
import { messages, room, row, useStandIn } from './reactionsStandIn.ts';
import type { StandInPage } from './reactionsStandIn.ts';

const poll = { timeout: 15_000, interval: 50 };

describe('reaction chips and the picker (stand-in bridge)', () => {
  let p: StandInPage;
  const chip = (seq: number, emoji: string) => row(p.page, seq).locator(`.reaction-chip[data-emoji="${emoji}"]`);
  const picker = () => p.page.locator('[data-reaction-picker]');

  useStandIn((opened) => {
    p = opened;
  });

  it('shows each emoji with its count, mine pressed, and who reacted by name', async () => {
    const thumbs = chip(messages.report.seq, '👍');
    await expect.poll(() => thumbs.textContent(), poll).toBe('👍5');
    expect(await thumbs.getAttribute('aria-pressed')).toBe('true');
    expect(await chip(messages.report.seq, '❤️').getAttribute('aria-pressed')).toBe('false');
    // The user first as «Вы», then two more names and the rest counted.
    expect(await thumbs.getAttribute('aria-label')).toBe('Реакция 👍, 5: Вы, Пётр Смирнов и ещё 3');
    expect(await thumbs.getAttribute('title')).toBe('Вы, Пётр Смирнов, Ольга Кузнецова, Анна Попова и Сергей Волков');
    expect(await chip(messages.report.seq, '🎉').getAttribute('title')).toBe('Пётр Смирнов и Ольга Кузнецова');
    // A message without reactions has no chips (the menu's «Реакция» adds the first).
    expect(await row(p.page, messages.plain.seq).locator('.reaction-chip').count()).toBe(0);
  });

  it('takes the user’s own reaction back and adds another with a click', async () => {
    await chip(messages.report.seq, '👍').click();
    await expect.poll(p.calls, poll).toContainEqual(['react', room, messages.report.seq, '👍', false]);
    await chip(messages.report.seq, '❤️').click();
    await expect.poll(p.calls, poll).toContainEqual(['react', room, messages.report.seq, '❤️', true]);
  });

  it('dims the chips of a reaction on its way', async () => {
    const group = row(p.page, messages.pending.seq).getByRole('group', { name: 'Реакции' });
    expect(await group.getAttribute('class')).toContain('pending');
    expect(await group.getAttribute('aria-busy')).toBe('true');
    expect(await row(p.page, messages.report.seq).locator('.reactions').getAttribute('aria-busy')).toBeNull();
  });

  it('opens the picker from «+», chooses by search and Enter, and gives the focus back', async () => {
    const add = row(p.page, messages.thanks.seq).locator('.reaction-add');
    await add.click();
    await picker().waitFor({ timeout: 15_000 });
    const search = picker().getByRole('searchbox', { name: 'Найти эмодзи' });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement), poll).toBe(true);
    // The default set first.
    const firstRow = await picker().locator('.picker-section').first().locator('.emoji-cell').allTextContents();
    expect(firstRow).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏', '✅', '👀']);
    await search.fill('пицца');
    await expect.poll(() => picker().locator('.emoji-cell').allTextContents(), poll).toEqual(['🍕']);
    await search.press('Enter');
    await expect.poll(p.calls, poll).toContainEqual(['react', room, messages.thanks.seq, '🍕', true]);
    await expect.poll(() => picker().count(), poll).toBe(0);
    await expect.poll(() => add.evaluate((el) => el === document.activeElement), poll).toBe(true);
  });

  it('moves through the grid with the arrows, Enter chooses, Esc closes and returns the focus', async () => {
    const add = row(p.page, messages.thanks.seq).locator('.reaction-add');
    await add.press('Enter');
    await picker().waitFor({ timeout: 15_000 });
    await p.page.keyboard.press('ArrowDown');
    const focused = () => p.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.emoji ?? null);
    await expect.poll(focused, poll).toBe('👍');
    await p.page.keyboard.press('ArrowRight');
    await expect.poll(focused, poll).toBe('❤️');
    // Down from the default row goes to the same column of the first category.
    await p.page.keyboard.press('ArrowDown');
    await expect.poll(focused, poll).toBe('😃');
    await p.page.keyboard.press('ArrowUp');
    await p.page.keyboard.press('End');
    await expect.poll(focused, poll).toBe('👀');
    await p.page.keyboard.press('Escape');
    await expect.poll(() => picker().count(), poll).toBe(0);
    await expect.poll(() => add.evaluate((el) => el === document.activeElement), poll).toBe(true);
    expect((await p.calls()).filter((c) => c[0] === 'react' && c[3] === '👀')).toEqual([]);

    await add.press('Enter');
    await picker().waitFor({ timeout: 15_000 });
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowRight');
    await p.page.keyboard.press('Enter');
    await expect.poll(p.calls, poll).toContainEqual(['react', room, messages.thanks.seq, '❤️', true]);
    await expect.poll(() => picker().count(), poll).toBe(0);
  });

  it('a second click on «+» closes the picker; a click elsewhere too', async () => {
    const add = row(p.page, messages.thanks.seq).locator('.reaction-add');
    await add.click();
    await picker().waitFor({ timeout: 15_000 });
    await add.click();
    await expect.poll(() => picker().count(), poll).toBe(0);
    // And it opens again on the next click.
    await add.click();
    await picker().waitFor({ timeout: 15_000 });
    await p.page.locator('.conv-header h1').click();
    await expect.poll(() => picker().count(), poll).toBe(0);
    expect(
      (await p.calls()).filter(
        (c) => c[0] === 'react' && c[2] === messages.thanks.seq && c[3] !== '🍕' && c[3] !== '❤️',
      ),
    ).toEqual([]);
  });

  it('typing in the grid goes to the search', async () => {
    await row(p.page, messages.thanks.seq).locator('.reaction-add').click();
    await picker().waitFor({ timeout: 15_000 });
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.type('кот');
    const search = picker().getByRole('searchbox');
    await expect.poll(() => search.inputValue(), poll).toBe('кот');
    await expect.poll(() => picker().locator('.emoji-cell').allTextContents(), poll).toContain('😺');
    await p.page.keyboard.press('Escape');
    await expect.poll(() => picker().count(), poll).toBe(0);
  });

  it('at the hub’s limit lets only the message’s own emoji be added', async () => {
    const before = (await p.calls()).length;
    // Someone else's 🍕 on a full message can still be joined; a new emoji cannot.
    await chip(messages.full.seq, '🍕').click();
    await expect.poll(p.calls, poll).toContainEqual(['react', room, messages.full.seq, '🍕', true]);
    await row(p.page, messages.full.seq).locator('.reaction-add').click();
    await picker().waitFor({ timeout: 15_000 });
    await expect.poll(() => picker().locator('.picker-note').textContent(), poll).toContain('4 разные реакции');
    // The message's own emoji first: the only ones that can be added now.
    const own = picker().locator('.picker-section').first();
    expect(await own.getAttribute('aria-label')).toBe('Уже на сообщении');
    expect(await own.locator('.emoji-cell').allTextContents()).toEqual(['👍', '🍕', '🥗', '☕']);
    const frequent = picker().locator('.picker-section[aria-label="Частые"]');
    const heart = frequent.locator('[data-emoji="❤️"]');
    expect(await heart.getAttribute('aria-disabled')).toBe('true');
    await heart.click({ force: true });
    // Still open: nothing was chosen, nothing sent.
    expect(await picker().count()).toBe(1);
    const thumbs = frequent.locator('[data-emoji="👍"]');
    expect(await thumbs.getAttribute('aria-disabled')).toBeNull();
    await thumbs.click();
    await expect.poll(p.calls, poll).toContainEqual(['react', room, messages.full.seq, '👍', true]);
    const sent = (await p.calls()).slice(before).filter((c) => c[0] === 'react');
    expect(sent).toEqual([
      ['react', room, messages.full.seq, '🍕', true],
      ['react', room, messages.full.seq, '👍', true],
    ]);
    expect(p.desk.errors).toEqual([]);
    expect(p.desk.cspViolations).toEqual([]);
  });
});
