/** One of the user's own live sessions (`sessions.list`, docs/protocol.md). */
export interface SessionInfo {
  id: number;
  /** "Chrome 131 on Windows", "Беседа 0.1.0 (desktop) on Linux"; null when not known. */
  device: string | null;
  /** The client address it was signed in from (`embed ADDRESS` for an embed link's). */
  address: string | null;
  /** `chat`: from an embed link (1C). */
  kind: 'full' | 'chat';
  createdAt: number;
  lastUsedAt: number;
  /** The session this request came over. */
  current: boolean;
}
