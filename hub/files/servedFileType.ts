// The Content-Type a file that is not a verified image is served with. Downloads are always
// `attachment` + `nosniff` + a sandboxing CSP, so a type can at worst mislabel a download; still,
// a type a browser renders actively (HTML, SVG, XML, XHTML, JavaScript, anything unknown) is never
// handed out: if some other path ever served the file inline, it would run in the hub's origin.
// The file's own bytes decide the family; the name (and the declared type) only choose among
// passive types inside a family the bytes already proved (a .docx is a ZIP by its bytes).

/** The type for anything the hub cannot vouch for: a browser only ever offers to save it. */
export const octetStream = 'application/octet-stream';

const ooxml = 'application/vnd.openxmlformats-officedocument';
const zipTypes: Record<string, string> = {
  docx: `${ooxml}.wordprocessingml.document`,
  xlsx: `${ooxml}.spreadsheetml.sheet`,
  pptx: `${ooxml}.presentationml.presentation`,
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
};
// Legacy Office (OLE compound file). An .msi is one too, and is an installer: it stays octet-stream.
const oleTypes: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  msg: 'application/vnd.ms-outlook',
};
// Plain text by name, only when the bytes look like text and not like markup.
const textTypes: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/plain',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
};

/** Types whose bytes are recognised by their first bytes alone, whatever the name. */
const magic: [bytes: number[], offset: number, type: string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 0, 'application/pdf'], // %PDF-
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 0, 'application/rtf'], // {\rtf
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 0, 'application/x-7z-compressed'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 0, 'application/vnd.rar'], // Rar!
  [[0x1f, 0x8b], 0, 'application/gzip'],
  [[0x42, 0x5a, 0x68], 0, 'application/x-bzip2'], // BZh
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 0, 'application/x-xz'],
  [[0x49, 0x44, 0x33], 0, 'audio/mpeg'], // ID3 (MP3 with tags)
  [[0x4f, 0x67, 0x67, 0x53], 0, 'audio/ogg'], // OggS
  [[0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d], 4, 'video/mp4'], // ftypisom
  [[0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34], 4, 'video/mp4'], // ftypmp4
];

const startsWith = (head: Buffer, bytes: number[], offset = 0) =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);

/** The lower-case extension of a file name, without the dot ('' when none). */
function extensionOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/**
 * True when the head reads as text: no NUL and no control characters besides tab, line breaks,
 * form feed and escape. Any byte ≥ 0x80 passes, so Windows-1251 text from 1C counts as text too.
 */
function looksLikeText(head: Buffer): boolean {
  for (const b of head)
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) return false;
  return true;
}

/** True when the text starts like markup (`<html`, `<svg`, `<?xml`, `<!DOCTYPE`, any tag). */
function looksLikeMarkup(head: Buffer): boolean {
  // Skip a UTF-8 or UTF-16 byte-order mark and leading white space.
  const text = head
    .subarray(0, 1024)
    .toString('latin1')
    .replace(/^(\xef\xbb\xbf|\xfe\xff|\xff\xfe)/, '');
  return /^\s*</.test(text);
}

/**
 * The Content-Type for downloading a file that is not a verified image, from its first bytes
 * (a few KB), its name and the type the uploader declared. Recognised passive formats (PDF,
 * Office documents, archives, plain text, a few media types) keep their type; everything else,
 * including HTML, SVG, XML, XHTML and JavaScript under any name, is `application/octet-stream`.
 */
export function servedFileType(head: Buffer, name: string, declaredType = ''): string {
  const ext = extensionOf(name);
  for (const [bytes, offset, type] of magic) if (startsWith(head, bytes, offset)) return type;
  // ZIP (local file header, or the end record of an empty archive).
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const declared = declaredType.split(';')[0]!.trim().toLowerCase();
    return zipTypes[ext] ?? (Object.values(zipTypes).includes(declared) ? declared : 'application/zip');
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return oleTypes[ext] ?? octetStream;
  const text = textTypes[ext];
  if (text && looksLikeText(head) && !looksLikeMarkup(head)) return text;
  return octetStream;
}

/** Every type servedFileType can answer: a stored type outside this set is served as octet-stream. */
export const passiveFileTypes: ReadonlySet<string> = new Set([
  octetStream,
  'application/zip',
  ...Object.values(zipTypes),
  ...Object.values(oleTypes),
  ...Object.values(textTypes),
  ...magic.map(([, , type]) => type),
]);

/**
 * The type to put on a download of a stored file: the stored type when it is one servedFileType
 * gives (or a verified raster type of an image), else octet-stream. A second line of defence for
 * the download route, so a row written by older code or by hand cannot make the hub serve
 * `text/html`.
 */
export function downloadType(storedType: string, kind: 'image' | 'file'): string {
  if (kind === 'image' && /^image\/(png|jpeg|gif|webp)$/.test(storedType)) return storedType;
  return passiveFileTypes.has(storedType) ? storedType : octetStream;
}
