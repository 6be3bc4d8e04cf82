import type { ServerFrame } from '../../common/protocol/serverFrame.ts';

/**
 * Who receives an event. Operations resolve conversations to user ids themselves, so the
 * delivery side needs no store: a multi-node deployment can carry these over Redis as they are.
 */
export type Audience =
  /** Every connection of these users. */
  | { to: 'users'; userIds: readonly number[] }
  /**
   * Every connection of every signed-in person (the general room, presence), but `except`'s (a
   * typist is not told of their own typing).
   */
  | { to: 'everyone'; except?: number }
  /**
   * For `presence` and `presence.batch` only: every connection that watches one of the users the
   * frame is about, each hearing only the entries of the users it watches (hub/server/PresenceWatchers.ts).
   */
  | { to: 'watchers' };

/** One frame for one audience. */
export interface HubEvent {
  audience: Audience;
  frame: ServerFrame;
  /** Ephemeral events (typing, presence) are the first to be shed for a slow consumer. */
  ephemeral?: boolean;
  /**
   * The user whose acknowledgement follows this frame (a message's sender): when the fan-out is
   * spread over several event-loop turns, their sockets are flushed first, so the ack does not
   * wait for the last of thousands of recipients.
   */
  ackTo?: number;
}

/** Where operations publish what connected clients must hear about. */
export interface EventSink {
  publish(event: HubEvent): void;
  /** Close every connection of a user (disabled account) or of one session (logout). */
  disconnect(target: { userId: number } | { sessionId: number }, code: number, reason: string): void;
}
