/**
 * A Content-Disposition header for a file name (RFC 6266): an ASCII `filename` for old clients
 * (every other character, quotes, backslashes and `%` replaced by `_`) and the exact name as
 * `filename*=UTF-8''…` (RFC 5987), which every current browser prefers: «Счёт №17.pdf» survives;
 * text-direction controls do not.
 */
export function contentDisposition(type: 'attachment' | 'inline', shown: string): string {
  // A saved `счёт\u202Efdp.exe` would read as `счётexe.pdf` in a file manager: a program passed
  // off as a document. The file is saved with `_` for each text-direction control.
  const name = shown.replace(/\p{Bidi_Control}/gu, '_');
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
