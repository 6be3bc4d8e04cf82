import { normalizeHubUrl } from './hubUrl.ts';

/** The URL scheme the app registers for links such as `beseda://conversation/42`. */
export const deepLinkScheme = 'beseda';

/** What a command line asks of the app. */
export interface LaunchArgs {
  /** `--hub URL` (ignored when the command line carries a deep link: see {@link parseLaunchArgs}). */
  hubUrl: string | null;
  /** `--branch NAME`. */
  branch: string | null;
  /** `--hidden`: started at login, stay in the tray. */
  hidden: boolean;
  /** A conversation to open, from a `beseda://conversation/<id>` link. */
  conversationId: number | null;
  /** Arguments that were present but unusable (for the log, never for the user's eyes). */
  rejected: string[];
}

/**
 * Reads a command line (Electron's `process.argv`, or the `argv` a second instance passes on).
 * Switches may be `--hub URL` or `--hub=URL`. When any argument is a `beseda:` link, every
 * switch that changes where the app connects is dropped: a web page can launch such a link, and
 * must never be able to point the app at another hub (the Electron protocol-handler CVE-2018-1000006
 * pattern).
 */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const out: LaunchArgs = { hubUrl: null, branch: null, hidden: false, conversationId: null, rejected: [] };
  const hasDeepLink = argv.some((a) => a.toLowerCase().startsWith(`${deepLinkScheme}:`));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = splitSwitch(arg);
    if (name === '--hidden') out.hidden = true;
    else if (name === '--hub' || name === '--branch') {
      const value = inline ?? argv[++i];
      if (hasDeepLink || value === undefined) {
        out.rejected.push(name);
        continue;
      }
      if (name === '--hub') {
        out.hubUrl = normalizeHubUrl(value);
        if (!out.hubUrl) out.rejected.push('--hub');
      } else {
        out.branch = normalizeBranch(value);
        if (!out.branch) out.rejected.push('--branch');
      }
    } else if (arg.toLowerCase().startsWith(`${deepLinkScheme}:`)) {
      const id = parseDeepLink(arg);
      if (id === null) out.rejected.push('deep link');
      else out.conversationId = id;
    }
  }
  return out;
}

function splitSwitch(arg: string): [string, string | undefined] {
  if (!arg.startsWith('--')) return [arg, undefined];
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

/**
 * The conversation a `beseda://conversation/<id>` link names, or null. Nothing else in a link is
 * honoured: a link may only open a conversation the user already has.
 */
export function parseDeepLink(link: string): number | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== `${deepLinkScheme}:`) return null;
  // `beseda://conversation/42` parses with host "conversation"; `beseda:conversation/42` without.
  const parts = `${url.host}${url.pathname}`.split('/').filter(Boolean);
  if (parts.length !== 2 || parts[0] !== 'conversation' || !/^[1-9][0-9]{0,15}$/.test(parts[1]!)) return null;
  const id = Number(parts[1]);
  return Number.isSafeInteger(id) ? id : null;
}

/** A branch name as it may appear in file names and the UI: letters, digits, `-`, `_`, `.`, up to 64. */
export function normalizeBranch(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const text = input.trim();
  return /^[\p{L}\p{N}_.-]{1,64}$/u.test(text) && !/^\.+$/.test(text) ? text : null;
}
