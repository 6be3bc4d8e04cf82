/**
 * A short, human label for the device a session was made from, out of its User-Agent:
 * "Chrome 131 on Windows", "Беседа 0.1.0 (desktop) on Linux". Null when nothing is recognised.
 * Only for people to recognise their own sessions: never used to decide anything.
 */
export function deviceLabel(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 512);
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux|X11/.test(ua)
            ? 'Linux'
            : null;
  const app = /Beseda\/(?:([\d.]+)|desktop)/.exec(ua);
  const browser: [RegExp, string][] = [
    [/Edg\/(\d+)/, 'Edge'],
    [/YaBrowser\/(\d+)/, 'Yandex Browser'],
    [/OPR\/(\d+)/, 'Opera'],
    [/Firefox\/(\d+)/, 'Firefox'],
    [/Chrome\/(\d+)/, 'Chrome'],
    [/Version\/(\d+)[\d.]* Safari/, 'Safari'],
  ];
  let name: string | null = app ? (app[1] ? `Беседа ${app[1]} (desktop)` : 'Беседа (desktop)') : null;
  for (const [pattern, label] of browser) {
    if (name) break;
    const m = pattern.exec(ua);
    if (m) name = `${label} ${m[1]}`;
  }
  if (!name && /^node|undici/i.test(ua)) name = 'Node.js';
  if (!name) return os;
  return os ? `${name} on ${os}` : name;
}
