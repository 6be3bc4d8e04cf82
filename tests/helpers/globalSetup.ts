// Builds what the tests run for real (the hub bundle, the web client) once per test run. A build
// failure is reported but does not stop the run: the tests that need that build fail on their own,
// with the reason, while the rest still report.
import { existsSync, rmSync } from 'node:fs';

/** Imports a build script by URL (they are plain JS, outside the TypeScript program). */
const load = (name: string) => import(new URL(`../../scripts/${name}`, import.meta.url).href);

export default async function setup(): Promise<void> {
  try {
    await (await load('build-hub.js')).buildHub();
  } catch (err) {
    rmSync(new URL('../../dist/hub/beseda-hub.js', import.meta.url), { force: true });
    console.error(`hub build failed: ${(err as Error).message}`);
  }
  if (existsSync(new URL('../../scripts/build-web.js', import.meta.url))) {
    try {
      await (await load('build-web.js')).buildWeb();
    } catch (err) {
      console.error(`web build failed: ${(err as Error).message}`);
    }
  }
}
