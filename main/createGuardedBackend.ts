import * as v from 'valibot';
import type { Backend } from '../common/client/Backend.ts';
import { forwardBackend } from '../common/client/forwardBackend.ts';
import { parseHubAddress } from '../common/client/hubUrls.ts';
import { clipboardImageMaxBytes } from './clipboard/ClipboardImages.ts';
import type { ClipboardImages } from './clipboard/ClipboardImages.ts';
import { FileIdSchema } from '../common/protocol/model.ts';
import { toDeployment, type EffectiveConfig } from './config/resolveConfig.ts';
import type { DesktopClient } from './DesktopClient.ts';
import { fileDownload } from './files/fileDownload.ts';
import type { FileSaver } from './files/FileSaver.ts';
import type { Log } from './log/Log.ts';
import { safeExternalUrl } from './security/externalUrl.ts';
import type { DesktopSettings } from './settings/DesktopSettings.ts';
import type { SecureClientStorage } from './storage/SecureClientStorage.ts';

/** What {@link createGuardedBackend} wraps and reports to. */
export interface GuardedBackendDeps {
  client: DesktopClient;
  /** The client core's storage (cleared on sign-out). */
  clientStorage: SecureClientStorage;
  settings: DesktopSettings;
  log: Log;
  /** The configuration now (a second launch may change the hub address for sign-in). */
  config(): EffectiveConfig;
  /** Hands an already checked link to the OS. */
  openExternal(url: string): Promise<void>;
  /** Downloads a file where the user picks (Electron's download and save dialog). */
  files: FileSaver;
  /** The system clipboard's image (a paste whose event carried no file). */
  clipboard: ClipboardImages;
  /** The window is in front (a paste is the user's): only then is the clipboard read for the page. */
  clipboardReadable(): boolean;
  /** The user chose a status. */
  statusChosen(): void;
  /** The user signed out (after the stored session is cleared). */
  signedOut(): void;
}

/**
 * The {@link Backend} the renderer reaches over IPC: every call passed on to the client core,
 * with the checks that belong in the main process — a hub address locked by IT, only safe links
 * leave the app, the stored secrets are cleared on sign-out — and file downloads, which the main
 * process makes itself.
 */
export function createGuardedBackend(deps: GuardedBackendDeps): Backend {
  const { client, settings, clientStorage, log } = deps;
  // Every method but saveFile and clipboardImage, which are overridden below (the client core has none).
  const call = client as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const forwarded = forwardBackend(
    (method, ...args) => call[method]!.call(client, ...args),
    (listener) => client.subscribe(listener),
  );
  return {
    ...forwarded,
    deployment: async () => toDeployment(deps.config()),
    signIn: async (hubUrl, login, password) => {
      const { hubUrl: configured } = deps.config();
      const locked = configured.locked ? configured.value : null;
      if (locked !== null && !sameHub(locked, hubUrl))
        return {
          ok: false,
          error: { code: 'bad_request', message: 'the hub address is set by your administrator' },
        };
      const result = await client.signIn(hubUrl, login, password);
      if (result.ok) {
        const base = parseHubAddress(hubUrl)?.base ?? null;
        if (base) settings.set('hubUrl', base);
        log.info('signed in', { hub: base });
      }
      return result;
    },
    signOut: async () => {
      try {
        await client.signOut();
      } finally {
        clientStorage.clearAll();
        deps.signedOut();
        log.info('signed out: stored session cleared');
      }
    },
    setStatus: async (status) => {
      deps.statusChosen();
      await client.setStatus(status);
    },
    openExternal: async (url) => {
      const safe = safeExternalUrl(url);
      if (!safe) {
        log.warn('refused to open a link outside the app');
        throw new Error('only http, https and mailto links can be opened');
      }
      await deps.openExternal(safe);
    },
    saveFile: async (fileId, name) => {
      // From the hub with the token as a header: the page's link would hand a `?key=` address to
      // the system browser, whose history keeps it.
      const access = client.hubAccess?.() ?? null;
      if (!v.is(FileIdSchema, fileId)) throw new Error('not a file id');
      if (!access) throw new Error('not signed in');
      deps.files.save(fileDownload(access, fileId, name));
      log.info('file download started');
    },
    clipboardImage: async () => {
      // The page never reads what the user copies elsewhere while the app is behind other windows.
      if (!deps.clipboardReadable()) {
        log.warn('clipboard read refused: the window is not in front');
        return null;
      }
      const png = await deps.clipboard.readPng();
      if (png && png.byteLength > clipboardImageMaxBytes) {
        log.warn('clipboard image too large to paste', { bytes: png.byteLength });
        return null;
      }
      return png;
    },
  };
}

/** Whether two typed hub addresses mean the same hub. */
function sameHub(a: string, b: string): boolean {
  const pa = parseHubAddress(a);
  const pb = parseHubAddress(b);
  return !!pa && !!pb && pa.base === pb.base;
}
