import type { Canvas, Rgba } from './Canvas.ts';

/**
 * A 3×5 bitmap font with just what badges need: digits, `+` and `!`. Each glyph is five rows of
 * three bits, most significant bit on the left. Drawn crisp (no anti-aliasing), so counts stay
 * legible at 16 px.
 */
export const glyphs: Readonly<Record<string, readonly number[]>> = {
  '0': [0b111, 0b101, 0b101, 0b101, 0b111],
  '1': [0b010, 0b110, 0b010, 0b010, 0b111],
  '2': [0b111, 0b001, 0b111, 0b100, 0b111],
  '3': [0b111, 0b001, 0b011, 0b001, 0b111],
  '4': [0b101, 0b101, 0b111, 0b001, 0b001],
  '5': [0b111, 0b100, 0b111, 0b001, 0b111],
  '6': [0b111, 0b100, 0b111, 0b101, 0b111],
  '7': [0b111, 0b001, 0b010, 0b010, 0b010],
  '8': [0b111, 0b101, 0b111, 0b101, 0b111],
  '9': [0b111, 0b101, 0b111, 0b001, 0b111],
  '+': [0b000, 0b010, 0b111, 0b010, 0b000],
  '!': [0b010, 0b010, 0b010, 0b000, 0b010],
};

/** Glyph width and height in font pixels, and the gap between glyphs. */
export const glyphWidth = 3;
/** Glyph height in font pixels. */
export const glyphHeight = 5;
const gap = 1;

/** Width in canvas pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (glyphWidth + gap) - gap) * scale;
}

/**
 * Draws `text` with its top-left corner at (x, y), each font pixel a `scale`×`scale` block.
 * Characters without a glyph throw: a badge must never silently lose a digit.
 */
export function drawText(canvas: Canvas, text: string, x: number, y: number, scale: number, color: Rgba): void {
  let cursor = x;
  for (const ch of text) {
    const rows = glyphs[ch];
    if (!rows) throw new Error(`no glyph for ${JSON.stringify(ch)}`);
    for (let row = 0; row < glyphHeight; row++)
      for (let col = 0; col < glyphWidth; col++)
        if ((rows[row]! >> (glyphWidth - 1 - col)) & 1)
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++) canvas.plot(cursor + col * scale + dx, y + row * scale + dy, color);
    cursor += (glyphWidth + gap) * scale;
  }
}
