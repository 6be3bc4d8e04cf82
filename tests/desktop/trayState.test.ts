import { describe, expect, it } from 'vitest';
import { desktopStrings, pickLocale, ruPlural } from '../../main/i18n/DesktopStrings.ts';
import { badgeColour, drawTrayIcon } from '../../main/tray/drawIcons.ts';
import { badgeSpec } from '../../main/tray/trayImages.ts';
import { badgeText, trayStatus } from '../../main/tray/TrayStatus.ts';
import type { TrayStatus } from '../../main/tray/TrayStatus.ts';
import type { ConnectionState } from '../../common/client/ClientState.ts';

const status = (connection: ConnectionState, totalUnread: number, totalMentions = 0) =>
  trayStatus({ connection, totalUnread, totalMentions });

/** RGBA of one pixel. */
function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4;
  return [...image.data.subarray(i, i + 4)];
}

describe('tray and badge state', () => {
  it('draws counts as 1..9 and 9+', () => {
    expect(badgeText(0)).toBeNull();
    for (let n = 1; n <= 9; n++) expect(badgeText(n)).toBe(String(n));
    expect(badgeText(10)).toBe('9+');
    expect(badgeText(250)).toBe('9+');
  });

  it('picks the state for each unread and connection situation', () => {
    expect(status('connected', 0)).toMatchObject({ kind: 'connected', badge: null });
    expect(status('connected', 1)).toMatchObject({ kind: 'unread', badge: '1' });
    expect(status('connected', 9)).toMatchObject({ kind: 'unread', badge: '9' });
    expect(status('connected', 12)).toMatchObject({ kind: 'unread', badge: '9+' });
    expect(status('connected', 5, 1)).toMatchObject({ kind: 'mention', badge: '5', mentions: 1 });
    expect(status('offline', 3)).toMatchObject({ kind: 'disconnected', badge: '3', connecting: false });
    expect(status('connecting', 0)).toMatchObject({ kind: 'disconnected', badge: null, connecting: true });
    expect(status('signed-out', 7, 2)).toMatchObject({ kind: 'signed-out', badge: null, unread: 0 });
  });

  it('draws the badge red for mentions, dark blue for plain unread, grey when offline', () => {
    const corner = (s: TrayStatus, size: number) => pixel(drawTrayIcon(s, size), size - 2, size - Math.floor(size / 4));
    const near = (got: number[], want: { r: number; g: number; b: number }) =>
      Math.abs(got[0]! - want.r) + Math.abs(got[1]! - want.g) + Math.abs(got[2]! - want.b) < 30;
    for (const size of [16, 32]) {
      expect(near(corner(status('connected', 2, 1), size), badgeColour('mention'))).toBe(true);
      expect(near(corner(status('connected', 2), size), badgeColour('unread'))).toBe(true);
      expect(near(corner(status('offline', 2), size), badgeColour('disconnected'))).toBe(true);
      // No count: the corner is outside the bubble, transparent.
      expect(pixel(drawTrayIcon(status('connected', 0), size), size - 1, size - 1)[3]).toBe(0);
    }
  });

  it('draws the signed-out icon hollow and the connected one filled', () => {
    const centreAlpha = (s: TrayStatus) => pixel(drawTrayIcon(s, 32), 16, 8)[3];
    expect(centreAlpha(status('signed-out', 0))).toBe(0);
    expect(centreAlpha(status('connected', 0))).toBe(255);
  });

  it('writes the tooltip in Russian and English', () => {
    const ru = desktopStrings('ru');
    const en = desktopStrings('en');
    expect(ru.tooltip(status('connected', 3), null)).toBe('Беседа — 3 непрочитанных · подключено');
    expect(ru.tooltip(status('connected', 1), null)).toBe('Беседа — 1 непрочитанное · подключено');
    expect(ru.tooltip(status('connected', 0), null)).toBe('Беседа — нет непрочитанных · подключено');
    expect(ru.tooltip(status('connected', 5, 2), null)).toBe('Беседа — 5 непрочитанных (2 упоминания) · подключено');
    expect(ru.tooltip(status('offline', 2), null)).toBe('Беседа — 2 непрочитанных · нет связи');
    expect(ru.tooltip(status('connecting', 0), null)).toBe('Беседа — нет непрочитанных · подключение…');
    expect(ru.tooltip(status('signed-out', 0), null)).toBe('Беседа — вход не выполнен');
    expect(ru.tooltip(status('connected', 3), '15:00')).toBe(
      'Беседа — 3 непрочитанных · подключено · без звука до 15:00',
    );
    expect(en.tooltip(status('connected', 3, 1), null)).toBe('Beseda — 3 unread (1 mention) · connected');
    expect(en.tooltip(status('signed-out', 0), null)).toBe('Beseda — signed out');
  });

  it('chooses the language from the OS preference list', () => {
    expect(pickLocale(['ru-RU', 'en-US'])).toBe('ru');
    expect(pickLocale(['en-GB', 'ru'])).toBe('en');
    expect(pickLocale(['de-DE', 'ru-RU'])).toBe('ru');
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale(['kk-KZ'])).toBe('ru');
    expect(ruPlural(21, 'a', 'b', 'c')).toBe('a');
    expect(ruPlural(12, 'a', 'b', 'c')).toBe('c');
    expect(ruPlural(24, 'a', 'b', 'c')).toBe('b');
  });

  it('describes the taskbar badge: overlay on Windows, dock text, nothing when signed out or read', () => {
    const ru = desktopStrings('ru');
    expect(badgeSpec(status('connected', 0), ru)).toMatchObject({ count: 0, overlay: null, dockText: '' });
    expect(badgeSpec(status('signed-out', 4), ru)).toMatchObject({ count: 0, overlay: null });
    const plain = badgeSpec(status('connected', 3), ru);
    expect(plain).toMatchObject({ count: 3, mention: false, dockText: '3', description: '3 непрочитанных сообщения' });
    expect(plain.overlay?.x1.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    const many = badgeSpec(status('connected', 120, 1), desktopStrings('en'));
    expect(many).toMatchObject({ count: 120, mention: true, dockText: '99+' });
    expect(many.description).toBe('120 unread messages, 1 is a mention or direct message');
    // Offline keeps the last known count on the taskbar.
    expect(badgeSpec(status('offline', 2), ru).count).toBe(2);
  });
});
