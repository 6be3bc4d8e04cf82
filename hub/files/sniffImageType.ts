/** The raster types the hub shows inline: the only ones whose bytes it verifies by decoding. */
export type RasterType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The raster type the first bytes of a file announce, or undefined. Only the magic numbers count:
 * the declared type and the name are the uploader's word, and an HTML page renamed `.png` starts
 * with `<`, not with a PNG signature. A match is a claim, not a verdict: inspectFile then checks
 * that the decoder reads the same format and that the pixels decode.
 */
export function sniffImageType(head: Buffer): RasterType | undefined {
  if (head.length >= 8 && head.subarray(0, 8).equals(pngSignature)) return 'image/png';
  // SOI followed by the first marker's 0xFF.
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const ascii = head.subarray(0, 16).toString('latin1');
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'image/gif';
  // RIFF <size> WEBP and a VP8 chunk (lossy, lossless or extended): RIFF alone is also WAV and AVI.
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP' && ascii.slice(12, 15) === 'VP8') return 'image/webp';
  return undefined;
}
