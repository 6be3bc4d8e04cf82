import { auditCommand } from './auditCommand.ts';
import { backupCommands } from './backupCommands.ts';
import { commandCommands } from './commandCommands.ts';
import type { CliCommand } from './CliCommand.ts';
import { directoryCommands } from './directoryCommands.ts';
import { filesCommands } from './filesCommands.ts';
import { integrationCommands } from './integrationCli.ts';
import { userInviteCommand } from './inviteCommands.ts';
import { migrateStoreCommand } from './migrateStoreCommand.ts';
import { releaseCommands } from './releaseCommands.ts';
import { roomCommands } from './roomCommands.ts';
import { serveCommand } from './serveCommand.ts';
import { userCommands } from './userCommands.ts';

/**
 * Every `beseda-hub` command, in the order `--help` lists them. A command not in this table does
 * not exist: the parser refuses it with the nearest one as a hint.
 */
export const commandTable: readonly CliCommand[] = [
  serveCommand,
  ...userCommands,
  userInviteCommand,
  ...roomCommands,
  ...directoryCommands,
  ...integrationCommands,
  ...commandCommands,
  ...releaseCommands,
  ...backupCommands,
  migrateStoreCommand,
  ...filesCommands,
  auditCommand,
];
