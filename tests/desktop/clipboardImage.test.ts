// Backend.clipboardImage in the main process: the clipboard's image for a paste whose event carried
// no file — read only while the window is in front (a paste is the user's), never bigger than the
// cap. The clipboard is a fake port; the IPC path and Electron's clipboard are in bundle.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { clipboardImageMaxBytes } from '../../main/clipboard/ClipboardImages.ts';
import { startDesktop, until } from './harness.ts';
import type { Desktop } from './harness.ts';

let d: Desktop | undefined;
afterEach(() => d?.stop());

describe('the clipboard’s image for the page', () => {
  it('is read only while the window is in front, and only up to the cap', async () => {
    d = await startDesktop({ hidden: true });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    d.clipboard.png = png;
    // Hidden in the tray: whatever the user copies elsewhere stays there.
    expect(await d.app.backend.clipboardImage()).toBeNull();
    expect(d.clipboard.reads).toBe(0);
    expect(d.log.text()).toContain('clipboard read refused');

    d.app.windows.open();
    await until(() => d!.windows.current?.focused, 'window focused');
    expect(await d.app.backend.clipboardImage()).toEqual(png);
    d.clipboard.png = null;
    expect(await d.app.backend.clipboardImage()).toBeNull();

    // Behind another app's window: refused again.
    d.windows.current!.blur();
    d.clipboard.png = png;
    const reads = d.clipboard.reads;
    expect(await d.app.backend.clipboardImage()).toBeNull();
    expect(d.clipboard.reads).toBe(reads);

    d.windows.current!.focus();
    d.clipboard.png = new Uint8Array(clipboardImageMaxBytes + 1);
    expect(await d.app.backend.clipboardImage()).toBeNull();
    expect(d.log.text()).toContain('clipboard image too large to paste');
  });
});
