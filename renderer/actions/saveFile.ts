import { backend } from '../backend/currentBackend.ts';
import { attempt } from './notify.ts';

/**
 * A file's download link or button was used: the backend saves the file (web: the browser
 * downloads the hub's address; desktop: the main process downloads it with the session's token
 * into the place the user picks — the link itself would leave the app). A failure says why.
 */
export function saveFile(event: Event, fileId: string, name: string): void {
  event.preventDefault();
  void attempt(() => backend().saveFile(fileId, name));
}
