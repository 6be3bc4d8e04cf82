import { describe, expect, it } from 'vitest';
import { localTimeIn, zoneOffsetMinutes } from '../../renderer/format/localTime.ts';
import { telHref } from '../../renderer/format/telHref.ts';

describe('profile card formatting', () => {
  it('makes tel: addresses of the directory phone numbers, without the extension', () => {
    expect(telHref('+7 (343) 210-55-01 доб. 12')).toBe('tel:+73432105501');
    expect(telHref('8 495 123-45-67')).toBe('tel:84951234567');
    expect(telHref('+7 4822 55-12-34 ext 210')).toBe('tel:+74822551234');
    expect(telHref('12')).toBeNull();
  });

  it('finds a zone offset, and none for an unknown zone', () => {
    const winter = Date.UTC(2026, 0, 15, 12, 0);
    expect(zoneOffsetMinutes('Asia/Yekaterinburg', winter)).toBe(300);
    expect(zoneOffsetMinutes('America/New_York', winter)).toBe(-300);
    expect(zoneOffsetMinutes('Asia/Kolkata', winter)).toBe(330);
    expect(zoneOffsetMinutes('UTC', winter)).toBe(0);
    expect(zoneOffsetMinutes('Europe/Nowhere', winter)).toBeUndefined();
    expect(localTimeIn('Europe/Nowhere', winter, 'ru')).toBeUndefined();
  });

  it("shows the time in the person's zone with the zone's name", () => {
    const at = Date.UTC(2026, 0, 15, 12, 0);
    const local = localTimeIn('Asia/Yekaterinburg', at, 'ru')!;
    expect(local.time).toBe('17:00');
    expect(local.place).toMatch(/^Екатеринбург|^Yekaterinburg/);
    // The difference is to the zone this test runs in, whatever it is.
    const mine = -new Date(at).getTimezoneOffset();
    expect(local.diffHours).toBe((300 - mine) / 60);
  });
});
