// A directory that does not answer: the hub answers the sign-in 503 `unavailable`, and the form
// says so (try again in a few minutes) instead of a generic server error, in Russian and English.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { launchBrowser, openPage } from './browser.ts';

const poll = { timeout: 20_000, interval: 100 };

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('web client: signing in while the directory does not answer', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-dead-directory-'));
    const passwordFile = path.join(dir, 'bind-password');
    writeFileSync(passwordFile, 'secret\n', { mode: 0o600 });
    const settings = path.join(dir, 'directory.json');
    writeFileSync(
      settings,
      JSON.stringify({
        url: `ldap://127.0.0.1:${await closedPort()}`,
        allowPlain: true,
        bindDn: 'cn=hub,dc=corp,dc=local',
        bindPasswordFile: passwordFile,
        baseDn: 'dc=corp,dc=local',
        loginAttribute: 'uid',
        netbiosDomain: 'CORP',
        timeoutMs: 2000,
      }),
    );
    hub = await startHub({ args: ['--directory', settings] });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('the hub answers 503 unavailable, and the form explains it in Russian and English', async () => {
    const res = await fetch(`${hub.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'ivanov', password: 'his windows password' }),
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });

    for (const [locale, submit, text] of [
      ['ru-RU', 'Войти', 'Вход временно недоступен: сервер или каталог (Active Directory) не отвечает'],
      ['en-US', 'Sign in', 'Signing in is unavailable right now: the server or the directory (Active Directory)'],
    ] as const) {
      const { page, context } = await openPage(browser, { locale });
      await page.goto(hub.url);
      await page.locator('input[name="login"]').fill('CORP\\ivanov');
      await page.locator('input[name="password"]').fill('his windows password');
      await page.getByRole('button', { name: submit }).click();
      await expect.poll(() => page.getByRole('alert').textContent(), poll).toContain(text);
      expect(await page.getByRole('alert').textContent()).not.toMatch(/Ошибка на сервере|Server error/);
      await context.close();
    }
  }, 90_000);
});
