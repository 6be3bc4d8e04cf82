import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { fileScheme } from '../../common/ipc/fileScheme.ts';
import { appResponseHeaders, appScheme, resolveAppPath } from '../security/appProtocol.ts';

/**
 * Declares `app://` a standard, secure scheme (so the page gets a real origin, module scripts
 * and no `file://` privileges), and `beseda-file://` (the hub's files, served by the main process)
 * a standard, secure, streaming one (so the secure page may show its images: not mixed content).
 * Must run before the app is ready, and once: Electron takes a single list.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
    {
      scheme: fileScheme,
      privileges: { standard: true, secure: true, stream: true, supportFetchAPI: false, corsEnabled: false },
    },
  ]);
}

/**
 * Serves the UI from `root` (inside app.asar) at `app://beseda/`: GET only, path traversal
 * refused, every response with the renderer's CSP.
 */
export function serveAppProtocol(root: string): void {
  protocol.handle(appScheme, async (request) => {
    if (request.method !== 'GET') return new Response(null, { status: 405 });
    const file = resolveAppPath(root, request.url);
    if (!file) return new Response(null, { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { status: 200, headers: appResponseHeaders(file) });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}
