import { chmodSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import type { Logger } from 'pino';
import type { Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { adminSocketPath } from './adminSocketPath.ts';
import { runAdminCommand } from './adminCommands.ts';

/**
 * The OS account a CLI says it runs as (for the audit log). Only accounts that can open the 0600
 * socket (the hub's own, root) can send it, so it is what that CLI reported, not a proof: printable,
 * at most 64 characters, `unknown` when missing.
 */
function cliUser(user: unknown): string {
  if (typeof user !== 'string') return 'unknown';
  const clean = user.replace(/[^\p{L}\p{N}._@$\\-]/gu, '').slice(0, 64);
  return clean === '' ? 'unknown' : clean;
}

/**
 * Listens on the admin socket: one JSON line in (`{cmd, args, user}`), one JSON line out
 * (`{ok, result|error}`). A command that changes something is recorded in the audit log as `cli:<user>`.
 */
export async function startAdminServer(dataDir: string, hub: Hub, log: Logger): Promise<{ close(): Promise<void> }> {
  const file = adminSocketPath(dataDir);
  if (process.platform !== 'win32') {
    try {
      unlinkSync(file); // a socket file left by a killed hub
    } catch {
      // none left
    }
  }
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 1024 * 1024) return socket.destroy();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      void (async () => {
        let response: unknown;
        try {
          const { cmd, args, user } = JSON.parse(line) as { cmd: string; args: unknown; user?: unknown };
          const osUser = cliUser(user);
          log.info({ cmd, osUser }, 'admin command');
          response = { ok: true, result: await runAdminCommand(hub, cmd, args, osUser) };
        } catch (err) {
          if (!(err instanceof HubError)) log.error({ err }, 'admin command failed');
          response = {
            ok: false,
            error:
              err instanceof HubError
                ? { code: err.code, message: err.message }
                : { code: 'internal', message: String(err) },
          };
        }
        socket.end(JSON.stringify(response) + '\n');
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  // An accept that fails (EMFILE at the open-file limit) is an 'error' event: unheard it would end
  // the hub. libuv closes that connection itself; the CLI sees it closed and says so.
  server.on('error', (err) => log.warn({ err }, 'admin socket: accept failed'));
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
