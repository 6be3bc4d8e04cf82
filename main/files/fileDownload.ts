import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import type { FileDownload } from './FileSaver.ts';
import { hubFileRequest, type HubAccess } from './hubFileRequest.ts';

/** Windows' device names: `CON.txt` would not be a file at all. */
const deviceName = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
const maxNameLength = 180;

/**
 * A name the save dialog may offer for `name`: direction controls shown as markers (so
 * `\u202Egnp.exe` reads `⟨RLO⟩gnp.exe`, never `exe.png`), control characters, path separators and
 * characters Windows refuses replaced with `_`, no leading or trailing dots or spaces, no device
 * name, at most 180 characters (keeping the extension); `file` when nothing is left.
 */
export function safeFileName(name: string): string {
  let safe = neutraliseBidi(String(name))
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (deviceName.test(safe)) safe = `_${safe}`;
  if (safe.length > maxNameLength) {
    const dot = safe.lastIndexOf('.');
    const ext = dot > 0 && safe.length - dot <= 16 ? safe.slice(dot) : '';
    safe = safe.slice(0, maxNameLength - ext.length).replace(/[\s.]+$/, '') + ext;
  }
  return safe || 'file';
}

/** The download of a file from the hub with the session's token, offered under its own name. */
export function fileDownload(access: HubAccess, fileId: string, name: string): FileDownload {
  const request = hubFileRequest(access, fileId, 'download');
  return { url: request.url, headers: request.headers, suggestedName: safeFileName(name) };
}
