/** How long a floor waits for its session's next `sync` before it is forgotten. */
const defaultKeepMs = 10 * 60_000;

/**
 * Floors kept where every node finds them (hub/cluster/RedisSyncFloors.ts), so a client whose
 * reconnect lands on another node is served from its floor there too. Never throws; a lookup that
 * cannot be answered is null.
 */
export interface FloorShare {
  share(sessionIds: readonly number[], seq: number, keepMs: number): void;
  lookup(sessionId: number): Promise<number | null>;
  forget(sessionId: number): void;
}

/**
 * Where some sessions' next catch-up must start, whatever `since` they send: after the node's event
 * bus signalled a gap (docs/architecture.md, `cluster/`), every session connected to it may have
 * missed events while receiving later ones live, so its client's cursor is past what it missed.
 * In this node's memory, and in `shared` (Redis) for the other nodes when given.
 */
export class SyncFloors {
  private readonly floors = new Map<number, { seq: number; until: number }>();

  constructor(
    private readonly keepMs = defaultKeepMs,
    private readonly clock: () => number = Date.now,
    private readonly shared?: FloorShare,
  ) {}

  /** Sessions with a floor now (expired ones are dropped as they are met). */
  get size(): number {
    this.sweep();
    return this.floors.size;
  }

  /** Gives each session the floor `seq`, keeping the lower one when it already has a floor. */
  set(sessionIds: Iterable<number>, seq: number): void {
    this.sweep();
    const until = this.clock() + this.keepMs;
    const ids = [...sessionIds];
    for (const id of ids) {
      const had = this.floors.get(id);
      this.floors.set(id, { seq: had ? Math.min(had.seq, seq) : seq, until });
    }
    this.shared?.share(ids, seq, this.keepMs);
  }

  /**
   * Where the session's sync asking for everything after `since` starts: the lower of `since` and
   * its floor. The floor stays while pages follow (a client moves its cursor past a page's last
   * seq to its own, higher one) and moves to each page's end: see {@link served}.
   */
  async from(sessionId: number, since: number): Promise<number> {
    let floor = this.floors.get(sessionId);
    if (floor && floor.until <= this.clock()) {
      this.floors.delete(sessionId);
      floor = undefined;
    }
    if (!floor && this.shared) {
      // Set by another node's gap (this session was connected there): kept here while it pages.
      const seq = await this.shared.lookup(sessionId);
      if (seq === null) return since;
      floor = { seq, until: this.clock() + this.keepMs };
      this.floors.set(sessionId, floor);
    }
    return floor ? Math.min(since, floor.seq) : since;
  }

  /**
   * A sync page was served up to `lastSeq`: with more to come the floor moves there, so the next
   * page goes on from it; the last page drops it.
   */
  served(sessionId: number, lastSeq: number, more: boolean): void {
    const floor = this.floors.get(sessionId);
    if (!floor) return;
    if (more && lastSeq > floor.seq) floor.seq = lastSeq;
    else if (!more) {
      this.floors.delete(sessionId);
      this.shared?.forget(sessionId);
    }
  }

  private sweep(): void {
    const now = this.clock();
    for (const [id, floor] of this.floors) if (floor.until <= now) this.floors.delete(id);
  }
}
