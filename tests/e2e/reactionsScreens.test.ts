// Screenshots of the reactions, pins and forwarding states (chips, the picker open, the pinned
// panel, the forward dialog, a forwarded message, the pin rule in room settings) in light, dark, compact and English, saved to a
// temp folder (reactionsStandIn.shotsDir) to be looked at; each state is checked to be on screen.
import { afterEach, describe, expect, it } from 'vitest';
import { messages, openStandIn, row, shot, standInState } from './reactionsStandIn.ts';
import type { StandInPage } from './reactionsStandIn.ts';

const poll = { timeout: 15_000, interval: 50 };

const variants = [
  { name: 'light', options: {}, forward: 'Переслать', react: 'Реакция' },
  { name: 'dark', options: { colorScheme: 'dark' as const }, forward: 'Переслать', react: 'Реакция' },
  { name: 'compact', options: { compact: true }, forward: 'Переслать', react: 'Реакция' },
  {
    name: 'compact-dark',
    options: { compact: true, colorScheme: 'dark' as const },
    forward: 'Переслать',
    react: 'Реакция',
  },
  { name: 'en', options: { locale: 'en-US' }, forward: 'Forward', react: 'React' },
];

describe('reactions, pins and forwarding screens', () => {
  let p: StandInPage | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  for (const variant of variants) {
    it(`${variant.name}: chips, picker, pinned panel, forward dialog, forwarded message`, async () => {
      p = await openStandIn(standInState(), variant.options);
      const page = p.page;
      await row(page, messages.report.seq).locator('.reaction-chip').first().waitFor({ timeout: 15_000 });
      if (variant.options.compact) {
        // The compact layout starts with the conversation list over the conversation: Esc hides it.
        await page.keyboard.press('Escape');
        await expect.poll(() => page.locator('.app.sidebar-closed').count(), poll).toBe(1);
      }
      await shot(page, `${variant.name}-1-chips`);
      await shot(page, `${variant.name}-5-forwarded`, row(page, messages.forwarded.seq));

      await row(page, messages.thanks.seq).locator('.reaction-add').click();
      await page.locator('[data-reaction-picker]').waitFor({ timeout: 15_000 });
      await shot(page, `${variant.name}-2-picker`);
      await page.keyboard.type(variant.name === 'en' ? 'heart' : 'серд');
      await expect.poll(() => page.locator('[data-reaction-picker] .emoji-cell').count(), poll).toBeGreaterThan(3);
      await shot(page, `${variant.name}-2b-picker-search`);
      await page.keyboard.press('Escape');
      await row(page, messages.full.seq).locator('.reaction-add').click();
      await page.locator('[data-reaction-picker] .picker-note').waitFor({ timeout: 15_000 });
      await shot(page, `${variant.name}-2c-picker-limit`);
      await page.keyboard.press('Escape');

      // From the message menu («Реакция»): the picker goes next to the message's row.
      await row(page, messages.plain.seq).locator('.bubble').click({ button: 'right' });
      await page.getByRole('menuitem', { name: variant.react }).click();
      await page.locator('[data-reaction-picker]').waitFor({ timeout: 15_000 });
      await shot(page, `${variant.name}-2d-picker-from-menu`);
      await page.keyboard.press('Escape');

      await page.locator('[data-pins-button]').click();
      await page.locator('[data-pins-panel] .pin-item').first().waitFor({ timeout: 15_000 });
      await shot(page, `${variant.name}-3-pins`);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('[data-pins-panel]').count(), poll).toBe(0);

      await row(page, messages.report.seq).locator('.bubble').click({ button: 'right' });
      await page.getByRole('menuitem', { name: variant.forward }).click();
      await page.locator('.forward-preview').waitFor({ timeout: 15_000 });
      await shot(page, `${variant.name}-4-forward`);
      await page.keyboard.press('Escape');

      await page.locator('.conv-header .conv-actions > button').last().click();
      const rule = page.locator('[data-pin-rule]');
      await rule.waitFor({ timeout: 15_000 });
      await rule.scrollIntoViewIfNeeded();
      await shot(page, `${variant.name}-6-pin-rule`);
      expect(p.desk.errors).toEqual([]);
    });
  }
});
