import net from 'node:net';
import { adminSocketPath } from './adminSocketPath.ts';

/** The answer of the running hub to an admin command. */
export type AdminResponse = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * Sends one admin command to the hub running on `dataDir`. Resolves null when no hub is running
 * there (no socket), so the caller can open the data folder directly instead.
 */
export function callAdmin(dataDir: string, cmd: string, args: unknown): Promise<AdminResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(adminSocketPath(dataDir));
    let buffer = '';
    let connected = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(JSON.stringify({ cmd, args }) + '\n');
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
