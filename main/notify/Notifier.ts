/** A native notification as the decisions describe it. */
export interface NotificationSpec {
  title: string;
  body: string;
  /** The conversation a click opens (null: just the window). */
  conversationId: number | null;
}

/** Shows native notifications (Electron's `Notification` in the app). */
export interface Notifier {
  isSupported(): boolean;
  /** Shows one notification; `onClick` runs when the user clicks it. */
  show(spec: NotificationSpec, onClick: () => void): void;
}
