import { app, session, shell } from 'electron';
import type { Log } from '../log/Log.ts';
import { safeExternalUrl } from '../security/externalUrl.ts';

/**
 * Applies the navigation and permission rules to every web contents the app ever creates: no
 * navigation away from the UI (a link the user followed opens in the system browser, if it is
 * http/https/mailto), no new windows, no webviews, and every permission request denied.
 */
export function hardenContents(log: Log): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission request denied', { permission });
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);

  const openOutside = (url: string) => {
    const safe = safeExternalUrl(url);
    if (safe) void shell.openExternal(safe);
    else log.warn('blocked a link with a scheme the app does not open');
  };

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      event.preventDefault();
      openOutside(url);
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url);
      return { action: 'deny' };
    });
  });
}
