/**
 * Events this node's clients may have missed (raised by RedisEventBus). The hub answers it by
 * making them catch up (docs/architecture.md, `cluster/`: close with 4002, and that session's next
 * catch-up served from `floorSeq`).
 */
export interface GapSignal {
  /**
   * `reconnected`: this node's subscription was lost (Redis down or unreachable) and is back, so
   * any other node's events in between never arrived. `lost`: another node's counter jumped, so
   * some of its publishes never arrived (it could not publish, or Redis dropped them).
   */
  kind: 'reconnected' | 'lost';
  /** The other node (`lost`). */
  node?: string;
  /** How many of its publishes are missing (`lost`). */
  missed?: number;
  /**
   * `lost`: every missing publish was an ephemeral event (typing, presence), so no message, read
   * marker, conversation change or disconnect was lost: a hub may let this one pass.
   */
  onlyEphemeral?: boolean;
  /**
   * The highest message-sequence position this node had delivered locally a lag (`floorLagMs`,
   * 5 s) before the gap began: whatever was missed comes after it, so a catch-up from here
   * recovers it.
   */
  floorSeq: number;
}
