/** The box an inline image takes in the chat (CSS pixels). */
export interface ImageBox {
  width: number;
  height: number;
}

/**
 * The size of an image's inline preview: its own size, scaled down (never up) to fit `max`×`max`
 * keeping its aspect, and at least `min` on each side (a 2000×10 strip stays clickable; the box
 * crops it). Known before the preview loads, so the list does not jump when it does; an image
 * without a known size gets a 4:3 box.
 */
export function fitImage(width: number | undefined, height: number | undefined, max = 360, min = 48): ImageBox {
  if (!width || !height) return { width: max, height: Math.round((max * 3) / 4) };
  const scale = Math.min(1, max / width, max / height);
  return {
    width: Math.max(min, Math.round(width * scale)),
    height: Math.max(min, Math.round(height * scale)),
  };
}
