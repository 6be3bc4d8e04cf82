import type { RgbaImage } from './encodePng.ts';

/** An sRGB colour with alpha, each 0..255. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses `#rrggbb` or `#rrggbbaa`. */
export function hex(color: string): Rgba {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (!m) throw new Error(`bad colour ${color}`);
  const n = parseInt(m[1]!, 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255, a: m[2] ? parseInt(m[2], 16) : 255 };
}

/** Says whether the point (in pixel units, pixel centres at .5) lies inside a shape. */
export type Shape = (x: number, y: number) => boolean;

const samples = 4;

/**
 * A small RGBA drawing surface: anti-aliased shapes by 4×4 supersampling and crisp bitmap text.
 * Enough to draw tray and badge icons without a graphics library.
 */
export class Canvas implements RgbaImage {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8Array(width * height * 4);
  }

  /** Paints `color` over the shape, blending by the covered fraction of each pixel. */
  fill(shape: Shape, color: Rgba): void {
    this.cover(shape, (i, coverage) => this.blend(i, color, coverage));
  }

  /** Makes the shape transparent (a cut-out, e.g. the ring around a badge). */
  clear(shape: Shape): void {
    this.cover(shape, (i, coverage) => {
      this.data[i + 3] = Math.round(this.data[i + 3]! * (1 - coverage));
    });
  }

  /** Paints one whole pixel (for bitmap glyphs); ignores pixels outside the canvas. */
  plot(x: number, y: number, color: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.blend((y * this.width + x) * 4, color, 1);
  }

  private cover(shape: Shape, paint: (index: number, coverage: number) => void): void {
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy++)
          for (let sx = 0; sx < samples; sx++) if (shape(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples)) hits++;
        if (hits) paint((y * this.width + x) * 4, hits / (samples * samples));
      }
    }
  }

  private blend(i: number, color: Rgba, coverage: number): void {
    const d = this.data;
    const sa = (color.a / 255) * coverage;
    const da = d[i + 3]! / 255;
    const oa = sa + da * (1 - sa);
    if (oa === 0) return;
    d[i] = Math.round((color.r * sa + d[i]! * da * (1 - sa)) / oa);
    d[i + 1] = Math.round((color.g * sa + d[i + 1]! * da * (1 - sa)) / oa);
    d[i + 2] = Math.round((color.b * sa + d[i + 2]! * da * (1 - sa)) / oa);
    d[i + 3] = Math.round(oa * 255);
  }
}

/** A disc. */
export function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** A rectangle with rounded corners (radius clamped to half the shorter side). */
export function roundedRect(left: number, top: number, right: number, bottom: number, radius: number): Shape {
  const r = Math.min(radius, (right - left) / 2, (bottom - top) / 2);
  return (x, y) => {
    if (x < left || x > right || y < top || y > bottom) return false;
    const cx = Math.min(Math.max(x, left + r), right - r);
    const cy = Math.min(Math.max(y, top + r), bottom - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}

/** A triangle given by its three corners. */
export function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape {
  const side = (px: number, py: number, qx: number, qy: number, x: number, y: number) =>
    (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const d1 = side(ax, ay, bx, by, x, y);
    const d2 = side(bx, by, cx, cy, x, y);
    const d3 = side(cx, cy, ax, ay, x, y);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
}

/** Points in either shape. */
export function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((s) => s(x, y));
}

/** Points in `outer` but not in `inner`. */
export function minus(outer: Shape, inner: Shape): Shape {
  return (x, y) => outer(x, y) && !inner(x, y);
}
