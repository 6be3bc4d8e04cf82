import { Client, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import type { DirectorySettings } from './DirectorySettings.ts';
import { DirectoryUnavailable } from './DirectoryUnavailable.ts';

/**
 * Opens a connection to the directory (ldaps://, or ldap:// upgraded with StartTLS, checked
 * against the configured CA), binds with the service account, runs `use`, and unbinds. Failing
 * to reach, encrypt or bind becomes {@link DirectoryUnavailable}; errors from `use` pass through.
 */
export async function withDirectory<T>(settings: DirectorySettings, use: (client: Client) => Promise<T>): Promise<T> {
  const tlsOptions = settings.ca === undefined ? {} : { ca: settings.ca };
  const client = new Client({
    url: settings.url,
    timeout: settings.timeoutMs,
    connectTimeout: settings.timeoutMs,
    // Only for ldaps://: ldapts given tlsOptions on an ldap:// URL breaks the StartTLS upgrade.
    ...(settings.url.toLowerCase().startsWith('ldaps://') ? { tlsOptions } : {}),
  });
  try {
    try {
      if (settings.startTls) await client.startTLS(tlsOptions);
      await client.bind(settings.bindDn, settings.bindPassword);
    } catch (err) {
      if (err instanceof InvalidCredentialsError)
        throw new DirectoryUnavailable(
          `the directory refused the bind account ${settings.bindDn} (check bindDn and bindPasswordFile)`,
        );
      throw new DirectoryUnavailable(`the directory at ${settings.url} does not answer: ${describe(err)}`);
    }
    try {
      return await use(client);
    } catch (err) {
      if (lostConnection(err))
        throw new DirectoryUnavailable(`the directory at ${settings.url} stopped answering: ${describe(err)}`);
      throw err;
    }
  } finally {
    // Unbinding a connection that never opened (or already broke) must not hide the real error.
    await client.unbind().catch(() => undefined);
  }
}

/** A broken or timed-out connection (not an LDAP answer, nor a bug in `use`). */
function lostConnection(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof ResultCodeError) return false;
  return (err as NodeJS.ErrnoException).code !== undefined || /timeout|timed out|connection|socket/i.test(err.message);
}

function describe(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.message;
  return String(err);
}
