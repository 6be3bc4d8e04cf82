// @ts-check
// `npm run build`: the hub, the web client and the desktop bundle, each into dist/.
import { buildDesktop } from './build-desktop.js';
import { buildHub } from './build-hub.js';
import { buildWeb } from './build-web.js';

await buildHub();
console.log('hub      → dist/hub/');
await buildWeb();
console.log('web      → dist/web/');
await buildDesktop();
console.log('desktop  → dist/desktop/');
