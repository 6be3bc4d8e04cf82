import { inspectFile } from './inspectFile.ts';

/** What the hub learned from an upload's bytes (the image pipeline's verdict, hub/files/inspectFile.ts). */
export type UploadVerdict =
  | {
      kind: 'image';
      type: string;
      width: number;
      height: number;
      animated: boolean;
      /** The preview (WebP or JPEG, at most 1280 px), stored as a blob of its own. */
      preview: Buffer;
      previewType: string;
    }
  | { kind: 'file'; type: string; reason?: string };

/**
 * Inspects a finished upload: the one place the upload path calls the image pipeline
 * ({@link inspectFile}: the bytes decide; only verified PNG, JPEG, GIF and WebP become images with
 * a preview, bombs are refused from their header; HTML, SVG and unknown bytes are
 * application/octet-stream files), so the hub side does not depend on how it is built.
 */
export function inspectUpload(file: string, declaredType: string, name: string): Promise<UploadVerdict> {
  return inspectFile(file, declaredType, name);
}
