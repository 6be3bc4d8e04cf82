import path from 'node:path';
import type { Logger } from 'pino';
import { initialPasswordFileName, writePrivateFile } from '../db/secureDataDir.ts';
import type { Hub } from '../ops/Hub.ts';

/** The administrator created by this start, and where its one-time password can be read. */
export interface BootstrapAdmin {
  login: string;
  /** The password, only when it is to be shown on the terminal that started the hub; else null. */
  password: string | null;
  /** The 0600 file holding the password when no terminal was there to show it; else null. */
  passwordFile: string | null;
}

/**
 * Whether a person is watching: the password may be printed only when both output streams are
 * an interactive terminal. Under systemd, Docker or `> hub.log` they are a journal or a file,
 * which keep it for anyone who can read logs.
 */
export function onInteractiveTerminal(): boolean {
  return process.stdout.isTTY === true && process.stderr.isTTY === true;
}

/**
 * Creates the first administrator on the very first start (no administrator yet). Its generated
 * password is never logged: it is returned for the terminal to show once, or, when there is no
 * terminal, written to `DATA/initial-admin-password.txt` (mode 0600) before the hub listens, and
 * only that file's path is logged.
 */
export async function ensureAdmin(
  hub: Hub,
  dataDir: string,
  log: Logger,
  interactive = onInteractiveTerminal(),
): Promise<BootstrapAdmin | null> {
  const accounts = await hub.listAccounts();
  if (accounts.some((a) => a.isAdmin)) return null;
  const login = accounts.some((a) => a.login === 'admin') ? `admin${accounts.length}` : 'admin';
  const { generatedPassword } = await hub.createUser({ login, name: 'Администратор', isAdmin: true });
  if (!generatedPassword) return null;
  if (interactive) {
    log.info({ login }, 'first administrator created; its password is shown on the terminal');
    return { login, password: generatedPassword, passwordFile: null };
  }
  const passwordFile = path.join(path.resolve(dataDir), initialPasswordFileName);
  writePrivateFile(
    passwordFile,
    `Beseda hub: the first administrator (created ${new Date().toISOString()})\n` +
      `login: ${login}\npassword: ${generatedPassword}\n\n` +
      'Sign in, keep the password somewhere safe (or change it), then delete this file.\n',
  );
  log.warn({ login, file: passwordFile }, 'first administrator created; its password is in the file');
  return { login, password: null, passwordFile };
}
