import { open } from 'node:fs/promises';
import { servedFileType } from './servedFileType.ts';

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
  | { kind: 'file'; type: string };

/** How many leading bytes decide a plain file's type. */
const headBytes = 8192;

/**
 * Inspects a finished upload: the one place the upload path calls the image pipeline, so the hub
 * side does not depend on how it is built. Until the pipeline is wired in, every upload is a plain
 * file whose type its first bytes prove (HTML, SVG and unknown bytes: application/octet-stream).
 */
export async function inspectUpload(file: string, declaredType: string, name: string): Promise<UploadVerdict> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(headBytes);
    const { bytesRead } = await handle.read(head, 0, headBytes, 0);
    return { kind: 'file', type: servedFileType(head.subarray(0, bytesRead), name, declaredType) };
  } finally {
    await handle.close();
  }
}
