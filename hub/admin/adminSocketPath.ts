import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * Where the running hub listens for admin commands: a Unix socket inside the data folder
 * (only users who can read the data folder can reach it), a named pipe on Windows.
 */
export function adminSocketPath(dataDir: string): string {
  const abs = path.resolve(dataDir);
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\beseda-admin-${createHash('sha256').update(abs).digest('hex').slice(0, 16)}`;
  }
  return path.join(abs, 'admin.sock');
}
