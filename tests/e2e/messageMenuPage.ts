// The page the stand-in message-action tests drive: the built renderer on the desktop path with
// the stand-in bridge (every Backend call recorded, showMessage answered), the state of
// messageMenuState.ts; plus their small helpers (rows, the open menu, the focus, screenshots).
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { StatePatch } from '../../common/client/ClientState.ts';
import type { WatchedPage } from './browser.ts';
import { fakeBridge } from './fakeBridge.ts';
import { answerShowMessage, hubUrl, messageActionsState } from './messageMenuState.ts';
import { type DesktopPage, openDesktopPage } from './openDesktopPage.ts';

/** Deadlines for a hang, not speed limits. */
export const poll = { timeout: 15_000, interval: 50 };
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

/** Screenshots go outside the repository (people look at them; git never sees them). */
export const shots = process.env.BESEDA_SHOTS ?? path.join(os.tmpdir(), 'beseda-message-actions');

/** Saves a screenshot under {@link shots}; `allow` keeps a running animation as it is. */
export async function shot(page: Page, name: string, animations: 'disabled' | 'allow' = 'disabled'): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), animations });
}

/** A message row by its seq. */
export const row = (page: Page, seq: number) => page.locator(`[data-message-row][data-seq="${seq}"]`);

/** The names of the open menu's items, in order. */
export async function menuItems(page: Page): Promise<string[]> {
  const menu = page.getByRole('menu');
  await menu.waitFor({ timeout: 15_000 });
  return menu.getByRole('menuitem').allTextContents();
}

/** Which element has the focus: `item:<name>` for a menu item, else `seq:<seq>` of a message row. */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.getAttribute('role') === 'menuitem' ? `item:${el.textContent}` : `seq:${el?.dataset.seq ?? ''}`;
  });

/** The opened stand-in page, its recorded calls and a way to push state patches. */
export interface StandIn {
  opened: DesktopPage;
  desk: WatchedPage;
  page: Page;
  calls(): Promise<unknown[][]>;
  push(patch: StatePatch): Promise<unknown>;
}

/** Opens the stand-in page (clipboard allowed) and waits for the general room's newest message. */
export async function openStandIn(): Promise<StandIn> {
  const opened = await openDesktopPage(
    csp,
    fakeBridge(messageActionsState(), { hubUrl, branch: null, hubUrlLocked: true }, answerShowMessage),
    [],
  );
  const { desk } = opened;
  const page = desk.page;
  try {
    await desk.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(opened.url).origin });
    await row(page, 9).waitFor({ timeout: 20_000 });
  } catch (err) {
    await opened.close();
    throw err;
  }
  return {
    opened,
    desk,
    page,
    calls: async () => (await page.evaluate('window.__calls')) as unknown[][],
    push: (patch) => page.evaluate(`window.__pushPatch(${JSON.stringify(patch)})`),
  };
}
