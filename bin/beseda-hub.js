#!/usr/bin/env node
// `beseda-hub …` — runs the bundled hub, building it first if this checkout has not been built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/hub/beseda-hub.js', import.meta.url));
if (!existsSync(bundle)) {
  const { buildHub } = await import('../scripts/build-hub.js');
  await buildHub();
}
await import(bundle);
