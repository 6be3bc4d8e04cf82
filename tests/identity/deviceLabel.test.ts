import { describe, expect, it } from 'vitest';
import { deviceLabel } from '../../hub/identity/deviceLabel.ts';

describe('deviceLabel (the device in "my sessions")', () => {
  it('names browsers, the desktop app and the system from a User-Agent', () => {
    expect(
      deviceLabel(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 131 on Windows');
    expect(
      deviceLabel(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
      ),
    ).toBe('Edge 131 on Windows');
    expect(
      deviceLabel(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 YaBrowser/24.10.0.0 Safari/537.36',
      ),
    ).toBe('Yandex Browser 24 on Windows');
    expect(deviceLabel('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe(
      'Firefox 128 on Linux',
    );
    expect(deviceLabel('Beseda/desktop (Windows NT)')).toBe('Беседа (desktop) on Windows');
    expect(deviceLabel('Beseda/0.1.0 (desktop; Linux)')).toBe('Беседа 0.1.0 (desktop) on Linux');
    expect(deviceLabel('node')).toBe('Node.js');
    expect(deviceLabel('curl/8.5.0')).toBeNull();
    expect(deviceLabel(undefined)).toBeNull();
  });
});
