// Forwarding end to end: a real hub, Иван and Мария in two Chromium contexts. Иван forwards a
// message with an image from one room to another through the menu's dialog (filter, Enter); a
// notice says where, and Мария sees it there as «Переслано от Иван Петров» with the image, which
// loads from the hub for her.
import { describe, expect, it } from 'vitest';
import { messagesWithText } from './browser.ts';
import type { WatchedPage } from './browser.ts';
import { shot } from './reactionsStandIn.ts';
import { screenshotPng, uploadFile } from './sampleFiles.ts';
import { twoPeopleOnHub } from './twoPeopleOnHub.ts';

const poll = { timeout: 30_000, interval: 100 };
const caption = 'Ошибка при проведении документа, см. снимок';

describe('forwarding a message with an image', () => {
  let a: WatchedPage;
  let b: WatchedPage;

  twoPeopleOnHub(async ({ hub, people, token, socket }) => {
    ({ a, b } = people);
    const source = await socket.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Отдел продаж',
      kind: 'closed',
    });
    await socket.request('rooms.create', { name: 'Бухгалтерия', kind: 'closed', members: [people.maria.id] });
    const file = await uploadFile(hub.url, token, 'Снимок.png', 'image/png', await screenshotPng());
    await socket.request('send', {
      conversationId: source.conversation.id,
      clientId: 'forward-source-xxxxxxxx',
      text: caption,
      files: [file.id],
    });
    await a.page.locator('nav.sidebar .conv-item', { hasText: 'Отдел продаж' }).click();
    await messagesWithText(a.page, caption).waitFor({ timeout: 30_000 });
  });

  it('forwards through the dialog; the other member sees «Переслано от» and the image', async () => {
    await messagesWithText(a.page, caption).locator('.bubble').click({ button: 'right' });
    await a.page.getByRole('menuitem', { name: 'Переслать' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Переслать сообщение' });
    await dialog.waitFor({ timeout: 30_000 });
    expect(await dialog.locator('.forward-preview-text').textContent()).toBe(caption);
    await a.page.keyboard.type('бух');
    await expect
      .poll(() => dialog.locator('[role="option"] .switch-name').allTextContents(), poll)
      .toEqual(['Бухгалтерия']);
    await a.page.keyboard.press('Enter');
    await expect.poll(() => dialog.count(), poll).toBe(0);
    await expect
      .poll(() => a.page.locator('.toast').allTextContents(), poll)
      .toContainEqual(expect.stringContaining('Переслано в «Бухгалтерия»'));

    // Мария was never in «Отдел продаж», yet sees the forwarded copy and its image.
    await b.page.locator('nav.sidebar .conv-item', { hasText: 'Бухгалтерия' }).click();
    const row = messagesWithText(b.page, caption);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('[data-forwarded]').textContent()).toBe('Переслано от Иван Петров');
    const image = row.locator('button.image-preview img');
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), poll)
      .toBeGreaterThan(0);
    expect(await row.getAttribute('data-status')).toBe('sent');
    await shot(b.page, 'real-forwarded-image', row);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
