// Builds what the tests run for real (the hub bundle, the web client) once per test run.
import { existsSync } from 'node:fs';

/** Imports a build script by URL (they are plain JS, outside the TypeScript program). */
const load = (name: string) => import(new URL(`../../scripts/${name}`, import.meta.url).href);

export default async function setup(): Promise<void> {
  await (await load('build-hub.js')).buildHub();
  if (existsSync(new URL('../../scripts/build-web.js', import.meta.url))) await (await load('build-web.js')).buildWeb();
}
