/** The kinds of file the UI draws its own icon for. */
export type FileType = 'pdf' | 'doc' | 'xls' | 'zip' | 'image' | 'generic';

const byExtension: Record<string, FileType> = {
  pdf: 'pdf',
  doc: 'doc',
  docx: 'doc',
  odt: 'doc',
  rtf: 'doc',
  txt: 'doc',
  xls: 'xls',
  xlsx: 'xls',
  xlsm: 'xls',
  ods: 'xls',
  csv: 'xls',
  zip: 'zip',
  rar: 'zip',
  '7z': 'zip',
  gz: 'zip',
  tgz: 'zip',
  tar: 'zip',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  bmp: 'image',
  tif: 'image',
  tiff: 'image',
  heic: 'image',
  svg: 'image',
};

/**
 * Which icon a file gets, by its name's extension, else by its media type. Only a picture: what
 * the hub serves inline is decided by the hub (`FileRef.kind`), never by this guess.
 */
export function fileTypeOf(name: string, type: string): FileType {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name.trim())?.[1]?.toLowerCase();
  if (ext && ext in byExtension) return byExtension[ext]!;
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('image/')) return 'image';
  if (/zip|compressed|x-7z|x-rar|gzip/.test(type)) return 'zip';
  if (/spreadsheet|excel/.test(type)) return 'xls';
  if (/wordprocessing|msword|text\//.test(type)) return 'doc';
  return 'generic';
}
