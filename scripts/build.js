// `npm run build`: the hub, the web client and the desktop bundle, each into dist/.
import { existsSync } from 'node:fs';
import { buildHub } from './build-hub.js';

await buildHub();
console.log('hub      → dist/hub/');
if (existsSync(new URL('./build-web.js', import.meta.url))) {
  const { buildWeb } = await import('./build-web.js');
  await buildWeb();
  console.log('web      → dist/web/');
}
if (existsSync(new URL('./build-desktop.js', import.meta.url))) {
  const { buildDesktop } = await import('./build-desktop.js');
  await buildDesktop();
  console.log('desktop  → dist/desktop/');
}
