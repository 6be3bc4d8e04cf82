/** A bot's outgoing callback: where the hub calls it and the secret it signs with (issue 18). */
export interface CallbackTarget {
  botId: number;
  login: string;
  url: string;
  secret: string;
}

/** One queued `message` delivery to a bot (table bot_deliveries). */
export interface DeliveryRecord {
  /** Row id (the queue's own). */
  id: number;
  /** The id the bot sees (X-Beseda-Delivery, `deliveryId`): the same on every retry. */
  deliveryId: string;
  botId: number;
  /** The JSON body as queued, `deliveryId` included: sent byte for byte on every attempt. */
  body: string;
  createdAt: number;
  attempts: number;
  nextAt: number;
}

/**
 * Bots' callback URLs and the durable queue of deliveries to them. Deliveries are enqueued by
 * the message store itself, in the transaction that stores the message (MessageStore.appendBatch):
 * a message is never stored without its deliveries, even if the hub stops right after.
 */
export interface CallbackStore {
  /** The callback of an active (not disabled) bot with a URL; undefined otherwise. */
  target(botId: number): Promise<CallbackTarget | undefined>;
  /**
   * Sets (or with null clears) a bot's callback URL and secret, by login. Resolves to the bot's
   * id, or undefined when no bot has this login. `secret` undefined keeps the stored one.
   */
  setCallback(login: string, url: string | null, secret?: string | null): Promise<number | undefined>;
  /** A bot's URL as stored (null: none), or undefined when no bot has this login. */
  callbackOf(login: string): Promise<{ botId: number; url: string | null; hasSecret: boolean } | undefined>;
  /** Up to `limit` deliveries due at `now`, oldest due first. */
  dueDeliveries(now: number, limit: number): Promise<DeliveryRecord[]>;
  /** Removes a delivery (acknowledged, or given up). */
  removeDelivery(id: number): Promise<void>;
  /** Records a failed attempt and when to try again. */
  retryDelivery(id: number, nextAt: number, error: string): Promise<void>;
  /** Deliveries waiting (for the queue gauge). */
  queueLength(): Promise<number>;
  /** The earliest time a delivery is due, or null when the queue is empty. */
  nextDue(): Promise<number | null>;
}
