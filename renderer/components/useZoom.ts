import type { JSX, RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** The viewer's zoom: fitted to the window, or a scale of the image's own pixels. */
export interface Zoom {
  /** The scale shown (the fitted one while fitted). */
  scale: number;
  fitted: boolean;
  /** The whole image shows at its own size when fitted (1:1 would change nothing). */
  fitsAsIs: boolean;
  /** The image's size while zoomed (undefined while fitted: CSS fits it, following the window). */
  style: JSX.CSSProperties | undefined;
  /** Zooms by a factor, keeping the point under the pointer (or the middle) in place. */
  zoomBy(factor: number, at?: { clientX: number; clientY: number }): void;
  /** Fit ↔ 1:1 (an image smaller than the window goes to 2×, so a click always does something). */
  toggle(at?: { clientX: number; clientY: number }): void;
  /** The image loaded: its real pixel size replaces the one the message announced. */
  loaded(img: HTMLImageElement): void;
}

const maxScale = 8;

/**
 * The zoom of the image in the viewer's `stage`, reset when the image (its `key`) changes. Returns
 * a ref whose value is current at every render, so key handlers set up once can use it.
 */
export function useZoom(
  stage: RefObject<HTMLDivElement>,
  size: { width?: number | undefined; height?: number | undefined },
  key: string,
): { current: Zoom } {
  const [natural, setNatural] = useState({ key, w: size.width ?? 0, h: size.height ?? 0 });
  const [chosen, setChosen] = useState<{ key: string; scale: number } | null>(null);
  const anchor = useRef<{ x: number; y: number; ratio: number } | null>(null);
  const api = useRef<Zoom>(null as unknown as Zoom);

  const dims = natural.key === key ? natural : { key, w: size.width ?? 0, h: size.height ?? 0 };
  const fitScale = (): number => {
    const el = stage.current;
    if (!el || !dims.w || !dims.h) return 1;
    return Math.min(1, el.clientWidth / dims.w, el.clientHeight / dims.h);
  };
  const scale = chosen?.key === key ? chosen.scale : null;
  const shown = scale ?? fitScale();

  // After a zoom, scroll so that the point that was under the pointer stays under it.
  useLayoutEffect(() => {
    const el = stage.current;
    const a = anchor.current;
    anchor.current = null;
    if (!el || !a) return;
    el.scrollLeft = (el.scrollLeft + a.x) * a.ratio - a.x;
    el.scrollTop = (el.scrollTop + a.y) * a.ratio - a.y;
  }, [shown]);

  const setScale = (next: number, at?: { clientX: number; clientY: number }): void => {
    const fit = fitScale();
    const clamped = Math.min(maxScale, next);
    const el = stage.current;
    if (el) {
      const box = el.getBoundingClientRect();
      anchor.current = {
        x: at ? at.clientX - box.left : box.width / 2,
        y: at ? at.clientY - box.top : box.height / 2,
        ratio: Math.max(clamped, fit) / shown,
      };
    }
    setChosen(clamped <= fit ? null : { key, scale: clamped });
  };

  api.current = {
    scale: shown,
    fitted: scale === null,
    fitsAsIs: fitScale() >= 1,
    style: scale === null || !dims.w ? undefined : { width: `${dims.w * scale}px`, height: `${dims.h * scale}px` },
    zoomBy: (factor, at) => setScale(shown * factor, at),
    toggle: (at) => setScale(scale !== null ? 0 : fitScale() < 1 ? 1 : 2, at),
    loaded: (img) => {
      if (img.naturalWidth && (img.naturalWidth !== dims.w || img.naturalHeight !== dims.h)) {
        setNatural({ key, w: img.naturalWidth, h: img.naturalHeight });
      }
    },
  };
  return api;
}
