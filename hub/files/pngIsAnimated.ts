import type { FileHandle } from 'node:fs/promises';

/** Chunks read before giving up: real files carry a handful (IHDR, iCCP, pHYs, tEXt …) before IDAT. */
const maxChunks = 256;

/**
 * True when a PNG is an APNG: an `acTL` chunk before the first `IDAT`. libvips decodes only the
 * default image (the IDAT one, which an APNG whose first frame is the default image shows first),
 * and its metadata says nothing about animation, so the chunk headers are walked here: eight bytes
 * read per chunk, never the chunk bodies.
 */
export async function pngIsAnimated(file: FileHandle): Promise<boolean> {
  const header = Buffer.alloc(8);
  let position = 8; // after the signature
  for (let i = 0; i < maxChunks; i++) {
    const { bytesRead } = await file.read(header, 0, 8, position);
    if (bytesRead < 8) return false;
    const type = header.toString('latin1', 4, 8);
    if (type === 'acTL') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    // length + type + data + CRC
    position += 12 + header.readUInt32BE(0);
  }
  return false;
}
