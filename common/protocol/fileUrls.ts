/**
 * The hub's file endpoints (docs/protocol.md, "Files"). One place builds their paths, so the hub's
 * routes, the client core and the renderer cannot drift apart.
 *
 * - `POST /api/v1/files?name=<name>` — upload one file as the raw request body (Content-Type and
 *   Content-Length set; `Authorization: Bearer <token>`); answers 201 `{ "file": FileRef }`.
 * - `GET /api/v1/files/<id>` — the file as a download (`Content-Disposition: attachment`).
 * - `GET /api/v1/files/<id>/view` — a verified raster image inline (the viewer); other files 404.
 * - `GET /api/v1/files/<id>/preview` — the image's preview (a still, at most 1280 px), inline.
 *
 * Downloads take `Authorization: Bearer <token>` or the session's read-only `?key=<fileKey>`.
 */

/** Which representation of a file to fetch. */
export type FileVariant = 'download' | 'view' | 'preview';

/** The path of the upload endpoint for a file called `name`. */
export function uploadPath(name: string): string {
  return `/api/v1/files?name=${encodeURIComponent(name)}`;
}

/** The path of a file's representation, with the read-only key when given. */
export function filePath(fileId: string, variant: FileVariant, key?: string): string {
  const base = `/api/v1/files/${encodeURIComponent(fileId)}${variant === 'download' ? '' : `/${variant}`}`;
  return key ? `${base}?key=${encodeURIComponent(key)}` : base;
}
