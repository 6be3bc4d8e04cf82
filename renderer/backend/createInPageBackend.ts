import type { Backend, Deployment } from '../../common/client/Backend.ts';
import { ChatClient } from '../../common/client/ChatClient.ts';
import type { KeyValueStorage } from '../../common/client/KeyValueStorage.ts';
import type { WebSocketLike } from '../../common/client/WebSocketLike.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { checkLink, isSafeExternalUrl } from '../text/linkify.ts';
import { redeemEmbedLink, type EmbedFailure } from './embedSignIn.ts';
import { fileAddress } from './fileAddress.ts';
import { IndexedDbFileStash } from './IndexedDbFileStash.ts';
import { XhrFileUploader } from './XhrFileUploader.ts';

/** localStorage as the client core's storage (a write is durable once setItem returns). */
function pageStorage(): KeyValueStorage {
  return {
    get: async (key) => localStorage.getItem(key),
    set: async (key, value) => localStorage.setItem(key, value),
    delete: async (key) => localStorage.removeItem(key),
  };
}

/** The hub this page came from: its origin plus any path prefix (a hub behind a reverse proxy). */
function pageHub(): string | null {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return null;
  return location.origin + location.pathname.replace(/\/[^/]*$/, '');
}

/** Options of {@link createInPageBackend}. */
export interface InPageBackendOptions {
  /** The page was opened through an embed link that signed nobody in (the form says why). */
  onEmbedFailure?: (reason: EmbedFailure) => void;
}

/**
 * The web client's {@link Backend}: the client core runs in this page, with the browser's
 * WebSocket, fetch and localStorage (attached files: IndexedDB and XMLHttpRequest). Links open in a new tab without access to this one.
 * Opened through an embed link (a 1C form's HTML field: `#embed=<code>`), it first exchanges the
 * one-time code for a session of that person, replacing any session saved in this browser.
 */
export async function createInPageBackend(options: InPageBackendOptions = {}): Promise<Backend> {
  const hub = pageHub();
  const deployment: Deployment = { hubUrl: hub, branch: null, hubUrlLocked: false };
  // The session lives in the hub's HttpOnly cookie (issue 16), except in a frame (the chat inside
  // a 1C form in a browser): a SameSite=Strict cookie is not sent to a page framed by another site.
  const sessionCookie = window.self === window.top;
  const client = new ChatClient({
    sessionCookie,
    // The DOM types its handlers with `Event` parameters; at run time it is exactly WebSocketLike.
    createSocket: (url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike,
    fetch: (url, init) =>
      fetch(url, { ...init, credentials: sessionCookie ? 'same-origin' : 'omit', cache: 'no-store' }),
    storage: pageStorage(),
    // Unsent attachments survive a reload in IndexedDB; uploads report progress through XHR.
    fileStash: new IndexedDbFileStash(),
    uploader: new XhrFileUploader(),
    host: {
      openExternal: async (url) => {
        // The page's own last check: the re-serialised address of a link the text would show.
        const target = isSafeExternalUrl(url) ? checkLink(url) : null;
        if (!target) throw new Error('only http, https and plain mailto links can be opened');
        window.open(target.href, '_blank', 'noopener,noreferrer');
      },
      deployment: async () => deployment,
    },
  });
  // Coming back online or waking up: reconnect now rather than after the back-off.
  window.addEventListener('online', () => client.notifyNetworkChange());
  const embed = hub ? await redeemEmbedLink(hub) : null;
  if (hub && embed?.ok) {
    await client.signInWithToken(hub, embed.token, embed.user).catch(() => options.onEmbedFailure?.('failed'));
  } else if (embed && !embed.ok) {
    options.onEmbedFailure?.(embed.reason);
  }
  await client.start();
  // Saving is the page's own download of the hub's address (the read-only key in it, as for images).
  return Object.assign(client, {
    saveFile: async (fileId: string, name: string) => {
      const { hubUrl, fileKey } = client.getStateNow();
      const href = fileAddress(fileId, 'download', { hubUrl, fileKey });
      if (!href) throw new Error('not signed in');
      const link = document.createElement('a');
      link.href = href;
      link.download = neutraliseBidi(name);
      link.rel = 'noopener';
      link.click();
    },
    // A page cannot read the clipboard without asking: only the paste event's own files count.
    clipboardImage: async () => null,
  });
}
