/** `1.2.3`, `1.2.3-beta.1` (semantic versioning without build metadata). */
const semver = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z.-]{1,40}))?$/;

/** Whether `text` is a version the feed may carry (semantic versioning, as electron-updater compares them). */
export function isVersion(text: string): boolean {
  return semver.test(text);
}

/**
 * Orders two versions by semantic versioning (a pre-release before its release; pre-release
 * parts numerically when both are numbers). Not versions sort as equal: callers check {@link isVersion} first.
 */
export function compareVersions(a: string, b: string): number {
  const x = semver.exec(a);
  const y = semver.exec(b);
  if (!x || !y) return 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return Math.sign(d);
  }
  const [p, q] = [x[4], y[4]];
  if (p === undefined || q === undefined) return p === q ? 0 : p === undefined ? 1 : -1;
  const ps = p.split('.');
  const qs = q.split('.');
  for (let i = 0; i < Math.max(ps.length, qs.length); i++) {
    const [m, n] = [ps[i], qs[i]];
    if (m === undefined) return -1;
    if (n === undefined) return 1;
    const numeric = /^\d+$/.test(m) && /^\d+$/.test(n);
    const d = numeric ? Number(m) - Number(n) : m < n ? -1 : m > n ? 1 : 0;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
