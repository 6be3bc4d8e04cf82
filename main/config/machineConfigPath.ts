import path from 'node:path';

/**
 * Where IT puts the machine-wide config, per OS: outside the install folder, so that installing
 * or upgrading the app never overwrites it, and writable only by administrators.
 */
export function machineConfigPath(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData || 'C:\\ProgramData', 'Beseda', 'config.json');
  if (platform === 'darwin') return '/Library/Preferences/Beseda/config.json';
  return '/etc/beseda/config.json';
}
