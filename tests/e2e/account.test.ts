// Onboarding and self-service in the web client (issue 16, I2), in Chromium against the real hub:
// an invitation link where the person chooses a password, the forced change after an initial
// password from IT, and the «Безопасность» dialog (change password, my sessions, sign out elsewhere).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { launchBrowser, openPage, signIn, type WatchedPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };
const good = 'весенний дождь над рекой';

describe('web client: invitations, forced password change, Security dialog', () => {
  let hub: TestHub;
  let browser: Browser;
  const pages: WatchedPage[] = [];

  beforeAll(async () => {
    hub = await startHub();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  const fresh = async () => {
    const p = await openPage(browser);
    pages.push(p);
    return p;
  };

  it('an invitation link: greets the person, refuses a common password in Russian, then signs in; used again it says it is not valid', async () => {
    await hub.addUser('kirillova', 'Алла Кириллова');
    const { code } = (await hub.admin_('user.invite', { login: 'kirillova' })) as { code: string };
    const { page } = await fresh();
    await page.goto(`${hub.url}/invite/${code}`);
    await page.locator('[data-invite-page="ok"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.signin-card').textContent(), poll).toContain('Алла Кириллова');
    // The code left the address bar's path for the fragment, which is never sent to a server.
    expect(new URL(page.url()).hash).toBe(`#invite=${code}`);

    await page.locator('input[name="new-password"]').fill('qwerty123456');
    await page.locator('input[name="repeat-password"]').fill('qwerty123456');
    await page.getByRole('button', { name: 'Сохранить пароль и войти' }).click();
    await expect
      .poll(() => page.locator('[data-account-error]').textContent(), poll)
      .toContain('самых распространённых');

    await page.locator('input[name="new-password"]').fill(good);
    await page.locator('input[name="repeat-password"]').fill(good);
    await page.getByRole('button', { name: 'Сохранить пароль и войти' }).click();
    await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).hash).not.toContain(code);
    expect((await hub.login('kirillova', good)).user.login).toBe('kirillova');

    const again = await fresh();
    await again.page.goto(`${hub.url}/invite/${code}`);
    await again.page.locator('[data-invite-invalid]').waitFor({ timeout: 15_000 });
    expect(await again.page.locator('[data-invite-invalid]').textContent()).toContain('недействительна');
  }, 90_000);

  it('an initial password from IT: the sign-in asks for a new one before the chat', async () => {
    await hub.addUser('golubev', 'Марк Голубев');
    const { people } = (await hub.admin_('user.onboard', { logins: ['golubev'], mode: 'password' })) as {
      people: { login: string; password: string }[];
    };
    const initial = people[0]!.password;
    const { page } = await fresh();
    await page.goto(hub.url);
    await page.locator('input[name="login"]').fill('golubev');
    await page.locator('input[name="password"]').fill(initial);
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('[data-forced-change]').waitFor({ timeout: 15_000 });
    expect(await page.locator('.app').count()).toBe(0);
    await page.locator('input[name="new-password"]').fill(good);
    await page.locator('input[name="repeat-password"]').fill('что-то другое');
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect.poll(() => page.locator('[data-account-error]').textContent(), poll).toContain('не совпадают');
    await page.locator('input[name="repeat-password"]').fill(good);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.locator('.app[data-connection="connected"]').waitFor({ timeout: 15_000 });
    const old = await fetch(`${hub.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'golubev', password: initial }),
    });
    expect(old.status).toBe(401);
  }, 90_000);

  it('«Безопасность»: lists my sessions, signs out the other device, changes the password', async () => {
    const u = await hub.addUser('shirokova', 'Дарья Широкова');
    const { page } = await fresh();
    await signIn(page, hub.url, 'shirokova', u.password);
    const phone = await TestSocket.open(hub.wsUrl, (await hub.login('shirokova', u.password)).token);

    await page.getByRole('button', { name: /Мой статус и настройки/ }).click();
    await page.getByRole('menuitem', { name: 'Безопасность' }).click();
    const dialog = page.getByRole('dialog', { name: 'Безопасность' });
    await dialog.waitFor({ timeout: 15_000 });
    await expect.poll(() => dialog.locator('[data-session]').count(), poll).toBeGreaterThanOrEqual(2);
    expect(await dialog.locator('[data-current="true"]').textContent()).toContain('Chrome');
    expect(await dialog.locator('[data-current="true"]').textContent()).toContain('Это устройство');

    await dialog.getByRole('button', { name: 'Выйти на всех устройствах' }).click();
    expect((await phone.closed).code).toBe(4101);
    await expect.poll(() => dialog.locator('[data-session]').count(), poll).toBe(1);

    await dialog.locator('input[name="current-password"]').fill('не тот пароль');
    await dialog.locator('input[name="new-password"]').fill(good);
    await dialog.locator('input[name="repeat-password"]').fill(good);
    await dialog.getByRole('button', { name: 'Сменить пароль' }).click();
    await expect.poll(() => dialog.locator('[data-account-error]').textContent(), poll).toContain('неверно');
    await dialog.locator('input[name="current-password"]').fill(u.password);
    await dialog.locator('input[name="new-password"]').fill(good);
    await dialog.locator('input[name="repeat-password"]').fill(good);
    await dialog.getByRole('button', { name: 'Сменить пароль' }).click();
    await dialog.locator('[data-password-changed]').waitFor({ timeout: 15_000 });
    expect((await hub.login('shirokova', good)).user.login).toBe('shirokova');
    // Still signed in on this page.
    expect(await page.locator('.app[data-connection="connected"]').count()).toBe(1);
    for (const p of pages) expect(p.errors).toEqual([]);
  }, 90_000);
});
