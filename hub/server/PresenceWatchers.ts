import type { Connection } from './Connection.ts';

/**
 * Most users one connection watches. A client looks up the people it shows (direct peers, members
 * of the room on screen, search hits, message senders); past this the longest-watched are dropped,
 * bounding the hub's memory per socket. A client that keeps more on screen refreshes them with
 * `users.get`, which watches them again.
 */
export const maxWatchedPerConnection = 5000;

/** One user's presence as a `presence.batch` entry. */
export interface PresenceUpdate {
  userId: number;
  status: string;
  lastSeen: number | null;
}

/**
 * Who hears whose presence. A connection watches the users it has been told about — itself, every
 * id it asked for with `users.get`, every user a `users.search` returned — because a client shows
 * presence only for users it knows (common/client/StateIntake.ts ignores the rest). Sending every
 * change to everyone made the bytes of a morning's arrivals grow with N²: at 18,400 connecting
 * clients the load generators stopped answering pings and a third of the sockets were dropped.
 */
export class PresenceWatchers {
  private readonly byUser = new Map<number, Set<Connection>>();
  private readonly byConnection = new Map<Connection, Set<number>>();

  /** `conn` hears these users' presence from now on (bots' sockets never hear presence). */
  watch(conn: Connection, userIds: Iterable<number>): void {
    if (conn.actor.isBot) return;
    let mine = this.byConnection.get(conn);
    if (!mine) this.byConnection.set(conn, (mine = new Set()));
    for (const userId of userIds) {
      // Re-inserted, so the oldest-watched come first when the cap drops some.
      mine.delete(userId);
      mine.add(userId);
      let set = this.byUser.get(userId);
      if (!set) this.byUser.set(userId, (set = new Set()));
      set.add(conn);
    }
    for (const userId of mine) {
      if (mine.size <= maxWatchedPerConnection) break;
      mine.delete(userId);
      this.unlink(userId, conn);
    }
  }

  /** A closed connection watches nobody. */
  forget(conn: Connection): void {
    const mine = this.byConnection.get(conn);
    if (!mine) return;
    this.byConnection.delete(conn);
    for (const userId of mine) this.unlink(userId, conn);
  }

  /** How many users `conn` watches. */
  watchedBy(conn: Connection): number {
    return this.byConnection.get(conn)?.size ?? 0;
  }

  /** The updates each watching connection should hear, in the order given. */
  split<U extends PresenceUpdate>(updates: readonly U[]): Map<Connection, U[]> {
    const out = new Map<Connection, U[]>();
    for (const update of updates) {
      const set = this.byUser.get(update.userId);
      if (!set) continue;
      for (const conn of set) {
        const list = out.get(conn);
        if (list) list.push(update);
        else out.set(conn, [update]);
      }
    }
    return out;
  }

  private unlink(userId: number, conn: Connection): void {
    const set = this.byUser.get(userId);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.byUser.delete(userId);
  }
}
