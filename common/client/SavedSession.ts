import type { User } from '../protocol/model.ts';
import type { KeyValueStorage } from './KeyValueStorage.ts';

/** What survives an app restart: the hub, and while signed in, the token and who it belongs to. */
export interface SavedSession {
  hubUrl: string | null;
  token: string | null;
  me: User | null;
}

/** Reads the saved session (nothing saved, or unreadable: all null). */
export async function loadSession(storage: KeyValueStorage, key: string): Promise<SavedSession> {
  const empty: SavedSession = { hubUrl: null, token: null, me: null };
  let raw: string | null;
  try {
    raw = await storage.get(key);
  } catch (err) {
    console.warn('beseda: could not read the saved session', err);
    return empty;
  }
  if (!raw) return empty;
  try {
    const value = JSON.parse(raw) as Partial<SavedSession>;
    const me = value.me && typeof value.me === 'object' && typeof value.me.id === 'number' ? value.me : null;
    return {
      hubUrl: typeof value.hubUrl === 'string' ? value.hubUrl : null,
      token: typeof value.token === 'string' && me ? value.token : null,
      me,
    };
  } catch {
    return empty;
  }
}

/** Saves the session (the token is written only here, never logged). */
export async function saveSession(storage: KeyValueStorage, key: string, session: SavedSession): Promise<void> {
  try {
    await storage.set(key, JSON.stringify(session));
  } catch (err) {
    console.warn('beseda: could not save the session', err);
  }
}
