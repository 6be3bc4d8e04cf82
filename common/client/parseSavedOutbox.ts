import type { OutboxEntry, OutboxFile, OutboxOwner } from './OutboxEntry.ts';

/** The outbox as it is kept in storage: whose it is, and its entries in order. */
export interface SavedOutbox extends OutboxOwner {
  v: 1;
  entries: OutboxEntry[];
}

/**
 * Reads a saved outbox; null when there is none or it is not one. Entries that do not have the
 * expected shape are dropped (a damaged entry must not keep the others from being sent).
 */
export function parseSavedOutbox(raw: string | null): SavedOutbox | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<SavedOutbox>;
    if (value.v !== 1 || typeof value.hubUrl !== 'string' || typeof value.userId !== 'number') return null;
    if (!Array.isArray(value.entries)) return null;
    const entries = value.entries.filter(
      (e): e is OutboxEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.clientId === 'string' &&
        typeof e.conversationId === 'number' &&
        typeof e.text === 'string' &&
        typeof e.createdAt === 'number' &&
        (e.status === 'pending' || e.status === 'failed') &&
        (e.files === undefined || (Array.isArray(e.files) && e.files.every(isOutboxFile))),
    );
    return { v: 1, hubUrl: value.hubUrl, userId: value.userId, entries };
  } catch {
    return null;
  }
}

function isOutboxFile(f: unknown): f is OutboxFile {
  const file = f as Partial<OutboxFile> | null;
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.localId === 'string' &&
    typeof file.name === 'string' &&
    typeof file.size === 'number' &&
    typeof file.type === 'string' &&
    (file.fileId === undefined || typeof file.fileId === 'string')
  );
}
