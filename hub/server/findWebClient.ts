import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the web client is served from, and whether it was built there when the hub started. */
export interface WebClientLocation {
  root: string;
  built: boolean;
}

/** Whether `root` holds a built web client (its index.html). */
export const isBuilt = (root: string): boolean => existsSync(path.join(root, 'index.html'));

/**
 * The web client's folder: `configured` (`--web-root`) when given, else the one built beside the
 * hub's own files — `dist/web` next to the bundle `dist/hub/beseda-hub.js` (`npm run build` puts
 * both there), or the checkout's `dist/web` when the hub runs from its sources. Found from the
 * hub's location, never the working directory, so a service started from `/` serves it as well.
 */
export function findWebClient(configured: string | null, moduleUrl: string = import.meta.url): WebClientLocation {
  if (configured !== null) {
    const root = path.resolve(configured);
    return { root, built: isBuilt(root) };
  }
  const here = path.dirname(fileURLToPath(moduleUrl));
  // The bundle lives in dist/hub/; this file in hub/server/ of a checkout.
  const candidates = [path.resolve(here, '../web'), path.resolve(here, '../../dist/web')];
  const found = candidates.find(isBuilt);
  if (found) return { root: found, built: true };
  // Name the folder `npm run build` would fill, so the warning points at the right place.
  return { root: candidates.find((c) => path.basename(path.dirname(c)) === 'dist') ?? candidates[0]!, built: false };
}
