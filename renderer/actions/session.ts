import type { SignInFailure } from '../../common/client/Backend.ts';
import type { ChosenStatus } from '../../common/protocol/model.ts';
import { backend } from '../backend/currentBackend.ts';
import { clearDrafts, dialog, membersPanelOpen, signInNotice, unreadDivider } from '../state/uiState.ts';
import { viewerTarget } from '../state/viewer.ts';
import { forgetAttachedFiles } from './attachments.ts';
import { signInFailureOf } from './errorText.ts';
import { attempt } from './notify.ts';

/** Signs in; resolves to the failure to show, or null on success. */
export async function signIn(hubUrl: string, login: string, password: string): Promise<SignInFailure | null> {
  try {
    const result = await backend().signIn(hubUrl.trim(), login.trim(), password);
    if (!result.ok) return result.error;
    signInNotice.value = null;
    return null;
  } catch (error) {
    return signInFailureOf(error);
  }
}

/** Signs out and forgets everything the next user must not see. */
export async function signOut(): Promise<void> {
  dialog.value = null;
  membersPanelOpen.value = false;
  unreadDivider.value = null;
  signInNotice.value = null;
  clearDrafts();
  forgetAttachedFiles();
  viewerTarget.value = null;
  await attempt(() => backend().signOut());
}

/** Chooses my status. */
export function setStatus(status: ChosenStatus): void {
  void attempt(() => backend().setStatus(status));
}
