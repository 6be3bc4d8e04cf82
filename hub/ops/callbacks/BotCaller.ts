/**
 * Calls a bot's outgoing callback URL now, signed, and returns its JSON answer (issue 18): used
 * for buttons and slash commands, where a person waits for the answer. Messages addressed to a
 * bot go through the durable delivery queue instead (at-least-once, retried). Implementations
 * keep every safety rule of callbacks: only allowed hosts (`callbackAllow`), no loopback or
 * link-local addresses unless listed, no redirects, a timeout, a response size limit, a circuit
 * breaker per bot.
 */
export interface BotCaller {
  /**
   * POSTs `body` (a JSON object; the hub adds `deliveryId`) to the bot's callback URL with the
   * signature headers, and resolves to the parsed JSON answer (`{}` for an empty 2xx body).
   * Throws HubError `bot_unavailable` (no callback URL, refused address, timeout, non-2xx,
   * invalid JSON, circuit open), never anything else.
   */
  call(botId: number, body: Record<string, unknown>): Promise<Record<string, unknown>>;
}
