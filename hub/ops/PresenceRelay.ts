import type { ChosenStatus, PresenceStatus } from '../../common/protocol/model.ts';

/** One node's own view of one user: what it reports to the {@link PresenceRelay}. */
export interface LocalPresence {
  /** Live connections of the user on this node (one still within its grace period counts). */
  connections: number;
  /** How many of them report the user idle. */
  idle: number;
  /** Set only when the user just chose a status: the choice holds on every node until changed. */
  chosen?: ChosenStatus;
}

/** A cluster-wide status change that this node, and no other, must publish to everyone. */
export type PresenceChangeHandler = (userId: number, status: PresenceStatus) => void;

/**
 * Presence shared between hub nodes (issue 20: a user with connections on two nodes is online until
 * the last is gone). Presence keeps counting each connection itself (idleness, grace period) and
 * reports its per-user totals here; the relay derives the status across nodes and hands back each
 * change to exactly one node, which publishes it. Implemented over Redis in
 * hub/cluster/RedisPresenceRelay.ts; without a relay Presence is the whole truth (one node).
 */
export interface PresenceRelay {
  /** Presence gives the handler of cluster-wide changes once, when it is built. Must not throw. */
  attach(onChange: PresenceChangeHandler): void;
  /**
   * This node's totals of a user changed. Resolves with the cluster-wide status after the report,
   * or null when the cluster cannot be reached (the report is repeated once it can). Never rejects.
   */
  report(userId: number, local: LocalPresence): Promise<PresenceStatus | null>;
  /**
   * The cluster-wide status known now (kept current from every node's changes), 'offline' for
   * users connected nowhere; null while there is no cluster view (Redis away): use the local one.
   */
  statusOf(userId: number): PresenceStatus | null;
  /**
   * How many users are online (any status but offline) across the cluster; null while there is no
   * cluster view. Sizes the presence batch window to every node's audience.
   */
  onlineCount(): number | null;
  /** Leaves the cluster at once (this node's connections stop counting); idempotent, never rejects. */
  close(): Promise<void>;
}
