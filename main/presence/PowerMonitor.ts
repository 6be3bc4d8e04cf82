/** The OS events the app reacts to (Electron's `powerMonitor`). */
export type PowerEvent = 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen';

/** The machine's power, input and network state (Electron's `powerMonitor` and `net.online`). */
export interface PowerMonitor {
  /** Seconds since the last keyboard or mouse input. */
  idleSeconds(): number;
  /** Whether the OS believes the network is up. */
  isOnline(): boolean;
  on(event: PowerEvent, listener: () => void): void;
}
