// The hooks of a two-person web test: a hub, a Chromium, Иван and Мария signed in, and a raw
// socket of Иван's for the test's setup (rooms, messages), closed once the setup is done.
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { TestSocket } from '../helpers/TestSocket.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { launchBrowser } from './browser.ts';
import { twoPeopleSignedIn } from './twoPeopleSignedIn.ts';
import type { TwoPeople } from './twoPeopleSignedIn.ts';

/** What the setup of {@link twoPeopleOnHub} gets. */
export interface TwoPeopleSetup {
  hub: TestHub;
  people: TwoPeople;
  /** Иван's session token and a raw socket of it. */
  token: string;
  socket: TestSocket;
}

/**
 * Registers the hooks: before all, start a hub and a Chromium, sign Иван and Мария in
 * ({@link twoPeopleSignedIn}; the hub with `options.hubArgs`) and run `setup` with Иван's raw socket (closed after it); after
 * all, close the browser and stop the hub unless a test already did.
 */
export function twoPeopleOnHub(
  setup: (s: TwoPeopleSetup) => Promise<void>,
  options: { hubArgs?: string[] } = {},
): void {
  let hub: TestHub | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    hub = await startHub({ args: options.hubArgs });
    browser = await launchBrowser();
    const people = await twoPeopleSignedIn(hub, browser);
    const { token } = await hub.login(people.ivan.login, people.ivan.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    try {
      await setup({ hub, people, token, socket });
    } finally {
      socket.close();
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });
}
