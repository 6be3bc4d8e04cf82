// The start of the two-person web tests: Иван and Мария added to a real hub, each signed in on
// their own page (own browser context) of the test's Chromium (launched by the test, so that its
// afterAll closes it even when signing in fails).
import type { Browser } from 'playwright-core';
import type { TestHub } from '../helpers/startHub.ts';
import { openPage, signIn } from './browser.ts';
import type { WatchedPage } from './browser.ts';

/** Who was added and where each is signed in. */
export interface TwoPeople {
  /** Иван's page. */
  a: WatchedPage;
  /** Мария's page. */
  b: WatchedPage;
  ivan: { id: number; login: string; password: string };
  maria: { id: number; login: string; password: string };
}

/** Adds ivan (Иван Петров) and maria (Мария Иванова) to the hub and signs each in on a new page of the browser. */
export async function twoPeopleSignedIn(hub: TestHub, browser: Browser): Promise<TwoPeople> {
  const ivan = await hub.addUser('ivan', 'Иван Петров');
  const maria = await hub.addUser('maria', 'Мария Иванова');
  const a = await openPage(browser);
  const b = await openPage(browser);
  await signIn(a.page, hub.url, ivan.login, ivan.password);
  await signIn(b.page, hub.url, maria.login, maria.password);
  return { a, b, ivan, maria };
}
