import path from 'node:path';
import type { CliCommand } from './CliCommand.ts';
import { printLine } from './cliText.ts';
import { restoreCommand } from './restoreCommand.ts';

/**
 * `backup FILE` and `restore FILE` as they were before scheduled backups; replaced by
 * hub/cli/backupCommands.ts (backup now|list|status|verify) once that lands.
 */
export const legacyBackupCommands: CliCommand[] = [
  {
    words: ['backup'],
    usage: 'FILE',
    summary:
      'A consistent online copy of the database (taken while serving), and the uploaded\n' +
      'files in FILE.files/; readable by the hub account only.',
    options: {},
    async run({ positionals: [file], admin, config }) {
      const target = path.resolve(file!);
      const result = await admin('backup', { file: target });
      printLine(`Backup written to ${target} (${result.pages} pages, readable by the hub's account only).`);
      printLine(`Uploaded files: ${result.files.blobs} (${result.files.bytes} bytes) in ${result.files.dir}`);
      printLine(
        `To restore it: stop the hub, then: beseda-hub restore ${target} --data ${path.resolve(config().dataDir)}`,
      );
      return 0;
    },
  },
  {
    words: ['restore'],
    usage: 'FILE',
    summary:
      'With the hub stopped: checks the backup, moves the current database aside into\n' +
      'DATA/before-restore-<time>/, installs it, adds the files from FILE.files/.',
    options: {},
    run: ({ positionals: [file], config }) => restoreCommand(file, config()),
  },
];
