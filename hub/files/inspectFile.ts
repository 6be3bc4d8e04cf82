// What an uploaded file is, decided by its bytes, and the preview of an image. The only code in
// the hub that hands untrusted bytes to an image decoder, so its limits live here:
// - the file's first bytes must announce PNG, JPEG, GIF or WebP, and libvips must read the same
//   format; anything else (SVG, HTML, XML, TIFF, …) is a file, whatever its name or declared type;
// - the dimensions come from the header first; an image over `maxPixels` (or with a side over
//   `maxSide`) is never decoded: a 20,000×20,000 PNG bomb of 1 MB is refused after reading its
//   header, and libvips is told the same limit in case a header lies;
// - decoding aborts on truncated or corrupt data (failOn 'error') and after `timeoutSeconds`.
//   'error' rather than the stricter 'warning': phones and scanners write JPEGs with harmless
//   warnings (extraneous bytes between markers) that would otherwise lose their preview;
// - all of it runs on libuv's thread pool (sharp's metadata and pipeline are N-API async workers),
//   never on the event loop, one image at a time on a two-core machine (see `maxJobs`).
// A polyglot that is a valid GIF or JPEG and also HTML or JavaScript is an image here: it is only
// ever served as image/gif or image/jpeg with `X-Content-Type-Options: nosniff`, so no browser runs
// it as a script or renders it as a page (a `<script src>` pointing at it is refused for its type).
import { open } from 'node:fs/promises';
import os from 'node:os';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { pngIsAnimated } from './pngIsAnimated.ts';
import { octetStream, servedFileType } from './servedFileType.ts';
import { sniffImageType, type RasterType } from './sniffImageType.ts';

/** What the hub makes of an uploaded file. */
export type FileVerdict =
  | {
      kind: 'image';
      type: RasterType;
      /** As displayed: after the EXIF orientation (a portrait photo stored sideways is taller than wide). */
      width: number;
      height: number;
      /** An animated GIF, WebP or APNG; the preview is its first frame. */
      animated: boolean;
      preview: Buffer;
      previewType: 'image/webp' | 'image/jpeg';
    }
  | {
      kind: 'file';
      /** The type to serve it with (servedFileType): never one a browser renders actively. */
      type: string;
      /** Why a file that announced itself as an image is not one (for the log, not the user). */
      reason?: string;
    };

/** Limits of the inspection; the defaults suit a hub on a small server. */
export interface InspectLimits {
  /** Width × height of one frame above which an image is not decoded. */
  maxPixels: number;
  /** The longest side accepted, whatever the pixel count (a 1 × 40,000,000 strip is not a picture). */
  maxSide: number;
  /** The preview fits this many pixels on its long side (never enlarged). */
  previewSide: number;
  /** Decoding and encoding one preview may take this long before the image counts as unreadable. */
  timeoutSeconds: number;
}

/** 40 MP is above any camera or screenshot staff send (a 4K screen is 8.3 MP). */
export const defaultInspectLimits: InspectLimits = {
  maxPixels: 40_000_000,
  maxSide: 30_000,
  previewSide: 1280,
  timeoutSeconds: 30,
};

/** Bytes read from the start of a file to recognise it. */
const headBytes = 4096;

const formatOf: Record<RasterType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** Decoder options for untrusted input (the pixel limit is set per call). */
const untrusted: SharpOptions = {
  failOn: 'error',
  autoOrient: true,
  // The first frame of an animation only: the preview is a still, and frames are not all decoded.
  pages: 1,
  page: 0,
  sequentialRead: true,
};

/**
 * Images decoded at once. sharp's work runs on libuv's thread pool (4 threads), which the hub
 * shares with every file read and write (upload streaming) and with scrypt (sign-in): two images
 * at most leave it threads for those, and on a two-core machine one image leaves a core to the
 * event loop.
 */
const maxJobs = Math.max(1, Math.min(2, os.availableParallelism() - 1));
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(job: () => Promise<T>): Promise<T> {
  if (running >= maxJobs) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await job();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

let configured = false;

/**
 * Process-wide sharp settings, once:
 * - no operation cache: each upload is decoded once, so the cache (50 MB of pixels and 20 open
 *   files by default) only holds memory and keeps descriptors of blobs the sweep may delete;
 * - one libvips thread per image (parallelism comes from separate uploads, bounded by maxJobs);
 * - every libvips loader blocked except PNG, JPEG, GIF and WebP (file, buffer and stream), so
 *   even bytes that fooled the sniffing never reach the SVG, PDF, TIFF or HEIF decoders. This is
 *   for the whole process: the hub decodes nothing else.
 */
function configureSharp(): void {
  if (configured) return;
  configured = true;
  sharp.cache(false);
  sharp.concurrency(1);
  sharp.block({ operation: ['VipsForeignLoad'] });
  sharp.unblock({
    operation: ['Png', 'Jpeg', 'Nsgif', 'Webp'].flatMap((f) =>
      ['File', 'Buffer', 'Source'].map((from) => `VipsForeignLoad${f}${from}`),
    ),
  });
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Decides what an uploaded file is from its bytes (never from `declaredType` or `name`, which
 * only pick among passive types for non-images) and, for a verified PNG, JPEG, GIF or WebP, makes
 * its preview: EXIF orientation applied, first frame, fits `previewSide` pixels, WebP (keeps the
 * alpha of screenshots and is smaller than JPEG at the same quality; every client decodes it).
 * An image that is too large, truncated or corrupt becomes a file with a reason. Rejects only
 * when the file cannot be opened.
 */
export async function inspectFile(
  path: string,
  declaredType: string,
  name: string,
  limits: Partial<InspectLimits> = {},
): Promise<FileVerdict> {
  const file = await open(path, 'r');
  let type: RasterType | undefined;
  let animatedPng = false;
  try {
    const buffer = Buffer.alloc(headBytes);
    const { bytesRead } = await file.read(buffer, 0, headBytes, 0);
    const head = buffer.subarray(0, bytesRead);
    type = sniffImageType(head);
    if (!type) return { kind: 'file', type: servedFileType(head, name, declaredType) };
    if (type === 'image/png') animatedPng = await pngIsAnimated(file);
  } finally {
    await file.close();
  }
  configureSharp();
  const image = type;
  return inTurn(() => inspectImage(path, image, animatedPng, { ...defaultInspectLimits, ...limits }));
}

async function inspectImage(
  path: string,
  type: RasterType,
  animatedPng: boolean,
  limits: InspectLimits,
): Promise<FileVerdict> {
  const refuse = (reason: string): FileVerdict => ({ kind: 'file', type: octetStream, reason });
  let meta: Metadata;
  try {
    // The header only: libvips applies no pixel limit to reading it, the checks below do.
    meta = await sharp(path, { ...untrusted, limitInputPixels: false }).metadata();
  } catch (err) {
    return refuse(`unreadable ${type}: ${messageOf(err)}`);
  }
  if (meta.format !== formatOf[type]) return refuse(`starts like ${type} but decodes as ${meta.format}`);
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!(width >= 1 && height >= 1) || Math.max(width, height) > limits.maxSide)
    return refuse(`dimensions out of range: ${width}×${height}`);
  if (width * height > limits.maxPixels)
    return refuse(`too many pixels: ${width}×${height}, the limit is ${limits.maxPixels}`);
  let preview: Buffer;
  try {
    preview = await sharp(path, { ...untrusted, limitInputPixels: limits.maxPixels })
      .resize({ width: limits.previewSide, height: limits.previewSide, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82, smartSubsample: true })
      .timeout({ seconds: limits.timeoutSeconds })
      .toBuffer();
  } catch (err) {
    return refuse(`undecodable ${type}: ${messageOf(err)}`);
  }
  // Orientations 5–8 turn the picture by a quarter: the displayed width is the stored height.
  const turned = (meta.orientation ?? 1) >= 5;
  return {
    kind: 'image',
    type,
    width: turned ? height : width,
    height: turned ? width : height,
    animated: (meta.pages ?? 1) > 1 || animatedPng,
    preview,
    previewType: 'image/webp',
  };
}
