import { ErrorCode } from '../protocol/errors.ts';
import type { OutgoingFile } from './Backend.ts';
import { RequestError } from './RequestError.ts';

/**
 * The files a `send` attached, checked (they may come over IPC from an untrusted page): each has
 * its bytes, and a name (a pasted image may come without one: it is called `file`).
 */
export function checkAttached(files: readonly OutgoingFile[] | undefined): OutgoingFile[] {
  if (files === undefined || files === null) return [];
  if (!Array.isArray(files)) throw new RequestError(ErrorCode.BadRequest, 'files must be a list');
  return files.map((f: Partial<OutgoingFile> | null) => {
    if (typeof f !== 'object' || f === null || !(f.bytes instanceof Uint8Array)) {
      throw new RequestError(ErrorCode.BadRequest, 'a file has no content');
    }
    const name = typeof f.name === 'string' && f.name.trim() ? f.name.trim() : 'file';
    return { name, type: typeof f.type === 'string' ? f.type : '', bytes: f.bytes };
  });
}
