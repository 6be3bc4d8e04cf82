import type { HistogramData } from './Histogram.ts';
import type { Mix } from './workload.ts';

/** A user a generator speaks for. */
export interface BenchUser {
  userId: number;
  token: string;
}

/** The conversations one user takes part in (what it may send to). */
export interface UserConversations {
  general: number;
  rooms: number[];
  directs: number[];
}

/** Parameters of one load phase. */
export interface RunSpec {
  /** `rate`: open loop at `rate` messages/s; `saturate`: closed loop with `window` sends in flight. */
  mode: 'rate' | 'saturate';
  /** This generator's share of the messages per second (rate mode). */
  rate: number;
  /** Sends in flight from this generator (saturate mode). */
  window: number;
  /** Common start (epoch ms), so all generators measure the same window. */
  startAt: number;
  durationMs: number;
  /** How long to keep receiving after the window, for late deliveries' latency. */
  drainMs: number;
  mix: Mix;
  /** Probability that a send is preceded by a typing notice. */
  typingShare: number;
  /** This generator's presence changes (idle ↔ active) per second. */
  presencePerSecond: number;
  seed: number;
}

/** Commands from the orchestrator to a load generator (process.send). */
export type GenCommand =
  | {
      cmd: 'connect';
      url: string;
      kind: 'hub' | 'bare';
      users: BenchUser[];
      concurrency: number;
      /** Loopback source addresses 127.0.0.1…N the sockets spread over (ports run out at ~28,000 each). */
      sourceAddresses?: number;
      /**
       * After hello each client looks up `perClient` of these users with one `users.get`, as the
       * client core does for the people it shows (direct peers, a room's members): the hub then
       * tells it their presence, and only theirs.
       */
      watch?: { ids: number[]; perClient: number };
    }
  | {
      cmd: 'setup';
      rooms: { creator: number; name: string; members: number[] }[];
      directs: { userId: number; peerId: number }[];
    }
  | { cmd: 'assign'; conversations: Record<number, UserConversations> }
  | ({ cmd: 'run' } & RunSpec)
  | { cmd: 'disconnect'; userIds?: number[] }
  | { cmd: 'storm-expect'; userIds: number[]; posts: { conversationId: number; seq: number }[] }
  | { cmd: 'storm-arm'; userIds: number[]; url: string; deadlineMs: number; backoffCapMs: number }
  | { cmd: 'storm-pause' }
  | { cmd: 'storm-go'; startupMs: number }
  | { cmd: 'counters' }
  | { cmd: 'exit' };

/** A command as sent, with its correlation id. */
export type GenRequest = GenCommand & { reqId: number };

/** The reply of a generator to a command. */
export type GenReply = { reqId: number; ok: true; result: unknown } | { reqId: number; ok: false; error: string };

/** What `connect` reports. */
export interface ConnectResult {
  connected: number;
  failed: number;
  ms: number;
  errors: Record<string, number>;
}

/** Frames this generator's clients received since it started, by type (`counters`). */
export type FrameCounters = Record<string, number>;

/** What `setup` reports: the conversation ids it created. */
export interface SetupResult {
  rooms: { name: string; conversationId: number }[];
  directs: { userId: number; peerId: number; conversationId: number }[];
  errors: Record<string, number>;
}

/** What a load phase measured in one generator. */
export interface RunResult {
  /** Messages sent inside the window. */
  sent: number;
  /** Of those, acknowledged (committed, for the hub). */
  acked: number;
  /** Sends acknowledged inside the window (throughput). */
  ackedInWindow: number;
  errors: Record<string, number>;
  /** Message frames received by this generator's clients inside the window. */
  deliveries: number;
  /** typing + presence frames received inside the window. */
  ephemeral: number;
  typingSent: number;
  presenceSent: number;
  /** Send → each recipient, for messages sent inside the window. */
  latency: HistogramData;
  /** Send → result. */
  ackLatency: HistogramData;
  /** Sockets closed by the server during the phase, by close code. */
  closes: Record<string, number>;
  /** Sends still unacknowledged at the end of the drain. */
  unacked: number;
  /** This generator process's CPU time during the phase (ms) and the phase's length. */
  cpuMs: number;
  elapsedMs: number;
}

/** What the reconnect storm measured in one generator. */
export interface StormResult {
  clients: number;
  caughtUp: number;
  /** Per client: storm start → all expected missed messages received by sync. */
  catchUp: HistogramData;
  expectedTotal: number;
  receivedTotal: number;
  /** Clients that received a message they should not have, or a seq twice. */
  anomalies: number;
  /** Failed attempts after the hub was back. */
  connectRetries: number;
  errors: Record<string, number>;
  /** Attempts while the hub was away (restart, missed messages being posted). */
  awayAttempts: number;
  /** Hub back → first attempt; attempt → hello; hello → last sync page (ms). */
  backoffWait: HistogramData;
  connect: HistogramData;
  /** Attempt → HTTP 101 (TCP, upgrade, token checked). */
  upgrade: HistogramData;
  sync: HistogramData;
  syncRounds: number;
  syncRoundsMax: number;
  syncPageSize: number;
}
