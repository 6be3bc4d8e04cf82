import { signal } from '@preact/signals';
import { fileSchemeUrl } from '../../common/ipc/fileScheme.ts';
import { filePath, type FileVariant } from '../../common/protocol/fileUrls.ts';

/**
 * Where this page's file addresses point, chosen with the backend: the web client loads files
 * from the hub (with the session's read-only `?key=`, as an `<img>` cannot send the token); the
 * desktop page from `beseda-file://`, which the main process serves from the hub with the token
 * (its CSP allows no network source, and an `http://` hub would be mixed content there).
 */
export type FileAddressing = 'hub' | 'desktop';

const addressing = signal<FileAddressing>('hub');

/** Sets how file addresses are built (at start, with the backend: IPC → desktop). */
export function chooseFileAddressing(kind: FileAddressing): void {
  addressing.value = kind;
}

/** What an address needs to know of the session (`ClientState.hubUrl`, `ClientState.fileKey`). */
export interface FileSession {
  hubUrl: string | null;
  fileKey: string | null;
}

/** The address of a file's representation for this page, or null before the hub is known. */
export function fileAddress(fileId: string, variant: FileVariant, session: FileSession): string | null {
  if (!session.hubUrl) return null;
  if (addressing.value === 'desktop') return fileSchemeUrl(fileId, variant);
  return session.hubUrl.replace(/\/+$/, '') + filePath(fileId, variant, session.fileKey ?? undefined);
}
