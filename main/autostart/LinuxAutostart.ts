import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Autostart } from './Autostart.ts';

/**
 * Autostart on Linux desktops (Electron's login items do not cover Linux): an XDG autostart entry
 * `~/.config/autostart/beseda.desktop` that runs the app with `--hidden`. For an AppImage the
 * executable is the AppImage file itself (`$APPIMAGE`), not its temporary mount.
 */
export class LinuxAutostart implements Autostart {
  readonly file: string;

  constructor(
    configHome: string,
    private readonly executable: string,
    private readonly name: string,
  ) {
    this.file = path.join(configHome, 'autostart', 'beseda.desktop');
  }

  isEnabled(): boolean {
    if (!existsSync(this.file)) return false;
    return !/^\s*(Hidden\s*=\s*true|X-GNOME-Autostart-enabled\s*=\s*false)\s*$/im.test(readFileSync(this.file, 'utf8'));
  }

  setEnabled(on: boolean): void {
    if (!on) {
      rmSync(this.file, { force: true });
      return;
    }
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, desktopEntry(this.name, [this.executable, '--hidden']), { mode: 0o644 });
  }
}

/** An XDG desktop entry that runs `argv` (quoted per the Desktop Entry spec's Exec rules). */
export function desktopEntry(name: string, argv: readonly string[]): string {
  const exec = argv.map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${name.replace(/[\r\n]/g, ' ')}`,
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

function quoteExecArg(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new Error('a newline cannot be part of an Exec argument');
  if (/^[A-Za-z0-9_./=-]+$/.test(arg)) return arg.replace(/%/g, '%%');
  // Inside double quotes `"`, `` ` ``, `$` and `\` are escaped with a backslash; `%` is doubled.
  return `"${arg.replace(/(["`$\\])/g, '\\$1').replace(/%/g, '%%')}"`;
}
