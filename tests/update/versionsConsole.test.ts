// The admin console's «Версии приложения» in Chromium against a real hub: the versions the desktop
// apps reported when they asked for updates, counted per version and system, and the releases the
// hub offers with who gets each. A non-admin's hub refuses the same commands.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { runCli } from '../integrations/integrationHelpers.ts';
import { launchBrowser, openPage, signIn } from '../e2e/browser.ts';
import { fakeBuild } from './releaseHelpers.ts';

describe('the console shows the desktop versions in use', () => {
  let hub: TestHub;
  let browser: Browser;
  let anna: { login: string; password: string };
  let petrov: { password: string };

  beforeAll(async () => {
    hub = await startHub();
    anna = await hub.addUser('anna', 'Анна Админова', { admin: true });
    petrov = await hub.addUser('petrov', 'Пётр Петров', { branch: 'kazan' });
    for (const [version, extra] of [
      ['1.1.0', []],
      ['1.2.0', ['--rollout', '20', '--branches', 'kazan']],
    ] as const) {
      const r = await runCli([
        'release',
        'add',
        ...fakeBuild(version, 'kazan').paths,
        '--channel',
        'stable',
        ...extra,
        '--data',
        hub.dataDir,
      ]);
      expect(r.code, r.err).toBe(0);
    }
    const token = (await hub.login('petrov', petrov.password)).token;
    const ask = (id: number, version: string, platform = 'win', feed = 'latest.yml') =>
      fetch(
        `${hub.url}/updates/stable/${platform}/${feed}?branch=kazan&id=${id.toString(16).padStart(32, '0')}&version=${version}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      ).then((r) => expect(r.status).toBe(200));
    for (let n = 1; n <= 3; n++) await ask(n, '1.1.0');
    await ask(4, '1.0.0');
    await ask(5, '1.1.0', 'linux', 'latest-linux.yml');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('lists versions with their counts and the releases with their rollout', async () => {
    const { page } = await openPage(browser);
    await signIn(page, hub.url, anna.login, anna.password);
    await page.goto(`${hub.url}/#/admin/versions`);
    const section = page.locator('section.admin-section[data-section="versions"]');
    await section.locator('tr[data-version="1.0.0"]').waitFor({ timeout: 20_000 });
    const rows = await section.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td'))
          .slice(0, 3)
          .map((td) => td.textContent),
      ),
    );
    expect(rows).toEqual([
      ['1.1.0', 'Windows', '3'],
      ['1.1.0', 'Linux', '1'],
      ['1.0.0', 'Windows', '1'],
    ]);
    await expect
      .poll(() => section.locator('.admin-toolbar p').textContent())
      .toBe('Приложение на 5 компьютерах (за 30 дней)');
    await expect
      .poll(() =>
        section
          .locator('li[data-release]')
          .evaluateAll((lis) => lis.map((li) => li.textContent!.split(' · ').slice(0, 2).join(' · '))),
      )
      .toEqual(['stable 1.2.0 · 20% + kazan', 'stable 1.1.0 · всем']);
    await page.getByRole('heading', { name: 'Версии приложения', level: 2 }).waitFor();
    mkdirSync('/tmp/shots/H21-update', { recursive: true });
    await page.screenshot({ path: '/tmp/shots/H21-update/versions.png', animations: 'disabled' });
  });

  it('refuses the same reads to someone who is not an administrator', async () => {
    const socket = await TestSocket.open(hub.wsUrl, (await hub.login('petrov', petrov.password)).token);
    try {
      await expect(socket.request('admin', { command: 'release.status', args: {} })).rejects.toMatchObject({
        code: 'forbidden',
      });
    } finally {
      socket.close();
    }
  });
});
