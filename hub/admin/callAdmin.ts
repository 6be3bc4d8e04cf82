import net from 'node:net';
import type { AdminCommandName, ArgsOf, ResultOf } from './adminCommands.ts';
import { adminSocketPath } from './adminSocketPath.ts';
import { localOsUser } from './auditAdminCommand.ts';

/** The answer of the running hub to an admin command. */
export type AdminResponse<Result = unknown> =
  { ok: true; result: Result } | { ok: false; error: { code: string; message: string } };

/**
 * Sends one admin command to the hub running on `dataDir`, its name and arguments checked
 * against the command table (hub/admin/adminCommands.ts) and its result typed from it. Resolves
 * null when no hub is running there (no socket), so the caller can open the data folder directly.
 */
export function callAdmin<Name extends AdminCommandName>(
  dataDir: string,
  name: Name,
  args: ArgsOf<Name>,
): Promise<AdminResponse<ResultOf<Name>> | null> {
  // The hub validated the arguments and ran this very command, so its answer has the command's type.
  return sendAdminCommand(dataDir, name, args) as Promise<AdminResponse<ResultOf<Name>> | null>;
}

/**
 * The socket exchange under {@link callAdmin}, untyped: one JSON line out (`{cmd, args, user}`:
 * `user` is the OS account running this CLI, for the audit log), one line back. Tests use it to
 * send what the table does not allow (the hub refuses it).
 */
export function sendAdminCommand(
  dataDir: string,
  cmd: string,
  args: unknown,
  user: string = localOsUser(),
): Promise<AdminResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(adminSocketPath(dataDir));
    let buffer = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(JSON.stringify({ cmd, args, user }) + '\n');
    });
    socket.on('data', (chunk: string) => (buffer += chunk));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(buffer) as AdminResponse);
      } catch {
        reject(new Error('the hub closed the admin connection without an answer'));
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected && (err.code === 'ENOENT' || err.code === 'ECONNREFUSED')) resolve(null);
      else reject(err);
    });
  });
}
