import { protocol } from 'electron';
import { fileScheme } from '../../common/ipc/fileScheme.ts';
import type { FileProxy } from '../files/FileProxy.ts';

/**
 * Serves `beseda-file://file/<id>/<variant>` (the hub's files for the desktop page) through
 * {@link FileProxy}, which decides everything: Electron hands over the request (with the origin of
 * the content that made it, which the page cannot forge) and streams back the Response.
 */
export function serveFileProtocol(proxy: FileProxy): void {
  protocol.handle(fileScheme, (request) =>
    proxy.handle({
      url: request.url,
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      initiatorOrigin: (request as Request & { initiatorOrigin?: string | null }).initiatorOrigin,
    }),
  );
}
