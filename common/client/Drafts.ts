import type { KeyValueStorage } from './KeyValueStorage.ts';
import type { StateStore } from './StateStore.ts';

/** What {@link Drafts} works with. */
export interface DraftsOptions {
  storage: KeyValueStorage;
  store: StateStore;
  /**
   * Whose drafts these are: the hub's address and the user's id, or null when signed out. Drafts
   * are kept per account, so another person signing in on the same computer never sees them.
   */
  account(): { hub: string; userId: number } | null;
}

/** Longest draft kept (characters): a pasted novel must not fill the storage. */
const maxDraftLength = 100_000;

/**
 * The composer's unsent text per conversation, in the state (`drafts`) and in the client's
 * storage under a key per account, so drafts survive a reload of the page and a restart of the
 * app. The whole map is one value: a handful of short texts, written when a draft changes.
 */
export class Drafts {
  /** The storage key whose drafts are in the state (null: none loaded yet). */
  private loadedKey: string | null = null;
  /** Writes are chained so an older text never lands after a newer one. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: DraftsOptions) {}

  private key(): string | null {
    const account = this.options.account();
    return account ? `beseda.drafts.${account.hub}#${account.userId}` : null;
  }

  /** Puts the signed-in account's saved drafts in the state (once per account; drafts typed meanwhile win). */
  async load(): Promise<void> {
    const key = this.key();
    if (!key || key === this.loadedKey) return;
    this.loadedKey = key;
    const saved = parseDrafts(await this.options.storage.get(key));
    if (this.key() !== key) return;
    const { store } = this.options;
    for (const [id, text] of Object.entries(saved)) {
      if (!(Number(id) in store.state.drafts)) store.setDraft(Number(id), text);
    }
  }

  /** Keeps (or with '' removes) a conversation's draft; resolves once it is in storage. */
  async save(conversationId: number, text: string): Promise<void> {
    const key = this.key();
    if (!key) return;
    const { store, storage } = this.options;
    const kept = text.trim() === '' ? '' : text.slice(0, maxDraftLength);
    if ((store.state.drafts[conversationId] ?? '') === kept) return this.writing;
    store.setDraft(conversationId, kept);
    const drafts = { ...store.state.drafts };
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => (Object.keys(drafts).length === 0 ? storage.delete(key) : storage.set(key, JSON.stringify(drafts))));
    return this.writing;
  }

  /** The session ended or changed: the next account's drafts are loaded afresh. */
  forget(): void {
    this.loadedKey = null;
  }

  /** Deletes the signed-in account's saved drafts (an explicit sign-out on a shared computer). */
  async discard(): Promise<void> {
    const key = this.key();
    this.loadedKey = null;
    if (key) await this.options.storage.delete(key);
  }
}

/** Saved drafts, or none when the value is missing or damaged. */
function parseDrafts(raw: string | null): Record<number, string> {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (!value || typeof value !== 'object') return {};
    const out: Record<number, string> = {};
    for (const [id, text] of Object.entries(value)) {
      if (/^[1-9][0-9]*$/.test(id) && typeof text === 'string' && text !== '') out[Number(id)] = text;
    }
    return out;
  } catch {
    return {};
  }
}
