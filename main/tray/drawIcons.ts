import { Canvas, circle, hex, minus, roundedRect, triangle, union } from '../png/Canvas.ts';
import type { Rgba, Shape } from '../png/Canvas.ts';
import { drawText, glyphHeight, textWidth } from '../png/pixelFont.ts';
import type { RgbaImage } from '../png/encodePng.ts';
import type { TrayKind, TrayStatus } from './TrayStatus.ts';

const colours = {
  brand: hex('#2f6fed'),
  grey: hex('#8a8f98'),
  white: hex('#ffffff'),
  mention: hex('#e0282e'),
  unread: hex('#1d3f8f'),
  offlineBadge: hex('#5b616b'),
};

/** The speech bubble of the app's logo, scaled to `size`. */
function bubble(size: number): Shape {
  const s = size;
  return union(
    roundedRect(0.06 * s, 0.1 * s, 0.94 * s, 0.72 * s, 0.2 * s),
    triangle(0.2 * s, 0.62 * s, 0.2 * s, 0.94 * s, 0.48 * s, 0.68 * s),
  );
}

function dots(size: number): Shape {
  const y = 0.41 * size;
  const r = Math.max(0.065 * size, 1.1);
  return union(circle(0.3 * size, y, r), circle(0.5 * size, y, r), circle(0.7 * size, y, r));
}

/** Colour of the bubble and whether it is drawn hollow, per tray kind. */
function bubbleStyle(kind: TrayKind): { colour: Rgba; hollow: boolean } {
  if (kind === 'signed-out') return { colour: colours.grey, hollow: true };
  if (kind === 'disconnected') return { colour: colours.grey, hollow: false };
  return { colour: colours.brand, hollow: false };
}

/** The pill a count sits in: where it goes and its shape, fitted to the text at this scale. */
function badgeBox(
  size: number,
  text: string,
): { left: number; top: number; right: number; bottom: number; scale: number } {
  const scale = size >= 32 ? Math.floor(size / 16) : 1;
  const height = glyphHeight * scale + 4 * scale;
  const width = Math.max(height, textWidth(text, scale) + 4 * scale);
  return { left: size - width, top: size - height, right: size, bottom: size, scale };
}

function drawBadge(canvas: Canvas, size: number, text: string, colour: Rgba, ring: boolean): void {
  const box = badgeBox(size, text);
  const pill = roundedRect(box.left, box.top, box.right, box.bottom, (box.bottom - box.top) / 2);
  if (ring) {
    // A transparent ring separates the badge from the bubble, so it reads on any taskbar colour.
    const g = Math.max(1, box.scale);
    canvas.clear(roundedRect(box.left - g, box.top - g, box.right + g, box.bottom + g, (box.bottom - box.top) / 2 + g));
  }
  canvas.fill(pill, colour);
  const w = textWidth(text, box.scale);
  const x = Math.round(box.left + (box.right - box.left - w) / 2);
  const y = Math.round(box.top + (box.bottom - box.top - glyphHeight * box.scale) / 2);
  drawText(canvas, text, x, y, box.scale, colours.white);
}

/** The badge colour for a tray kind (mentions and direct messages red, plain unread dark blue). */
export function badgeColour(kind: TrayKind): Rgba {
  if (kind === 'mention') return colours.mention;
  if (kind === 'disconnected') return colours.offlineBadge;
  return colours.unread;
}

/**
 * Draws the tray icon for a status at `size` px (16 and 32 are what trays use at 100% and 200%):
 * the logo bubble (blue when connected, grey when offline, a grey outline when signed out) with
 * the unread count in a corner pill (red for mentions and direct messages).
 */
export function drawTrayIcon(status: TrayStatus, size: number): RgbaImage {
  const canvas = new Canvas(size, size);
  const style = bubbleStyle(status.kind);
  const shape = bubble(size);
  if (style.hollow) {
    const inset = Math.max(1.4, size * 0.09);
    const inner = roundedRect(
      0.06 * size + inset,
      0.1 * size + inset,
      0.94 * size - inset,
      0.72 * size - inset,
      0.2 * size - inset,
    );
    canvas.fill(minus(shape, inner), style.colour);
  } else {
    canvas.fill(minus(shape, dots(size)), style.colour);
  }
  if (status.badge) drawBadge(canvas, size, status.badge, badgeColour(status.kind), true);
  return canvas;
}

/**
 * Draws the taskbar overlay (Windows) for a count: a pill filling the square, red for mentions.
 * Windows shows overlays at 16 px (32 px on high-DPI screens).
 */
export function drawOverlayIcon(text: string, mention: boolean, size: number): RgbaImage {
  const canvas = new Canvas(size, size);
  const scale = size >= 32 ? Math.floor(size / 16) : 1;
  const h = size;
  const w = size;
  canvas.fill(roundedRect(0, (size - h) / 2, w, (size + h) / 2, h / 2), mention ? colours.mention : colours.unread);
  const tw = textWidth(text, scale);
  drawText(
    canvas,
    text,
    Math.round((size - tw) / 2),
    Math.round((size - glyphHeight * scale) / 2),
    scale,
    colours.white,
  );
  return canvas;
}

/** Draws the application icon (window, installer, dock) at `size` px. */
export function drawAppIcon(size: number): RgbaImage {
  const canvas = new Canvas(size, size);
  canvas.fill(minus(bubble(size), dots(size)), colours.brand);
  return canvas;
}
