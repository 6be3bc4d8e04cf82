import { backend } from '../backend/currentBackend.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { dialog } from '../state/uiState.ts';
import { attempt } from './notify.ts';
import { openDirect } from './rooms.ts';

/** Opens a person's profile card (a click on their name or avatar, or in the members panel). */
export function openProfile(userId: number): void {
  dialog.value = { kind: 'profile', userId };
  // The directory may have changed the person since they were loaded (a new position or phone):
  // their record is asked for again by login, and the card follows when it comes.
  const login = clientSnapshot().users[userId]?.login;
  if (login) void refreshUser(login);
}

/** Asks the hub for a person's record again (the answer lands in the state); a failure changes nothing. */
async function refreshUser(login: string): Promise<void> {
  try {
    await backend().searchUsers(login);
  } catch {
    // Offline or refused: the card shows what is known.
  }
}

/** «Написать» on a profile card: the direct conversation with that person, opened; the card closes. */
export async function writeTo(userId: number): Promise<void> {
  if (await openDirect(userId)) dialog.value = null;
}

/** Switches my read receipts (both ways) on or off, on every device of mine. */
export function setReadReceipts(on: boolean): Promise<void | undefined> {
  return attempt(() => backend().setReadReceipts(on));
}
