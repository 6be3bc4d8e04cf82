/**
 * Keeps one sender's messages in the order they arrived. A send awaits several lookups before it
 * joins the group commit (membership, a reply's target, the people its text mentions), and how
 * many depends on the message: without this, a message with a mention sent right before a plain
 * one could be stored after it. Each submission waits for the sender's previous one to reach the
 * queue (or fail) before it joins; different senders never wait for each other.
 */
export class SenderOrder {
  private readonly tails = new Map<number, Promise<void>>();

  /**
   * Takes the sender's next turn: `ready` resolves once every earlier submission of theirs has
   * joined the queue or given up; `release` (call it exactly when this one has, or failed; more
   * calls are harmless) lets the next one go.
   */
  enter(senderId: number): { ready: Promise<void>; release: () => void } {
    const previous = this.tails.get(senderId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(senderId, tail);
    void tail.then(() => {
      if (this.tails.get(senderId) === tail) this.tails.delete(senderId);
    });
    return { ready: previous, release };
  }
}
