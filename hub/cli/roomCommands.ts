import type { CliCommand } from './CliCommand.ts';
export const roomCommands: CliCommand[] = [];
