import type { StatePatch } from '../../common/client/ClientState.ts';

/** The app's window (Electron's `BrowserWindow` in the app). */
export interface WindowHandle {
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isVisible(): boolean;
  isFocused(): boolean;
  isMinimized(): boolean;
  /** Flash the taskbar button (Windows, Linux) or bounce the dock (macOS); false stops it. */
  flash(on: boolean): void;
  /** Tell the page to open a conversation (sent once the page has loaded). */
  navigate(conversationId: number): void;
  /** Forward a client state patch to the page. */
  sendPatch(patch: StatePatch): void;
  destroy(): void;
}

/** What the window reports; the window controller decides what each means. */
export interface WindowEvents {
  /** The user asked to close the window: return true to let it close, false to keep it (hidden). */
  close(): boolean;
  closed(): void;
  focus(): void;
  blur(): void;
  show(): void;
  hide(): void;
  minimize(): void;
  restore(): void;
  /** The page's process died (crash, OOM, killed); `reason` is Electron's. */
  rendererGone(reason: string): void;
}

/** Creates the window; it shows itself when its page is ready if `show` is true. */
export type WindowFactory = (events: WindowEvents, options: { show: boolean }) => WindowHandle;
