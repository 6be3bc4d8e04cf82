import type { Accounts } from '../../ops/Accounts.ts';
import type { HubContext } from '../../ops/HubContext.ts';
import { UnknowablePassword } from '../../ops/integrations/UnknowablePassword.ts';
import { RoomAdmin } from '../../ops/RoomAdmin.ts';
import type { DirectorySettings } from './DirectorySettings.ts';
import { DirectoryService } from './DirectoryService.ts';

/**
 * The directory service of a hub started with `--directory`, wired into its accounts so directory
 * accounts (and logins unknown here) sign in by binding to the directory.
 */
export function createDirectoryService(
  ctx: HubContext,
  settings: DirectorySettings,
  accounts: Accounts,
): DirectoryService {
  // New directory accounts get a password nobody knows: theirs is the directory's, never stored.
  const unknowable = new UnknowablePassword(accounts);
  const service = new DirectoryService(ctx, settings, {
    unknowableHash: () => unknowable.get(),
    roomAdmin: new RoomAdmin(ctx),
  });
  accounts.useDirectory(service);
  return service;
}
