import type { PresenceStatus } from '../../common/protocol/model.ts';
import type { Connection } from './Connection.ts';

/**
 * Most users one connection watches. A client looks up the people it shows (direct peers, members
 * of the room on screen, search hits, message senders); past this the longest-watched are dropped,
 * bounding the hub's memory per socket. A client that keeps more on screen refreshes them with
 * `users.get`, which watches them again.
 */
export const maxWatchedPerConnection = 5000;

/**
 * A user's watchers are kept in an array up to this many, then a Set. A Set costs about 3.5 times
 * an array per entry (at 18,400 connections each watching 50 people, the Sets of users watched by
 * 65–100 connections were 24 MB); a linear search of 256 entries is still well under a microsecond.
 */
const arrayMax = 256;

/** One user's presence as a `presence.batch` entry. */
export interface PresenceUpdate {
  userId: number;
  status: PresenceStatus;
  lastSeen: number | null;
}

/**
 * Who hears whose presence. A connection watches the users it has been told about — itself, every
 * id it asked for with `users.get`, every user a `users.search` returned — because a client shows
 * presence only for users it knows (common/client/StateIntake.ts ignores the rest). Sending every
 * change to everyone made the bytes of a morning's arrivals grow with N²: at 18,400 connecting
 * clients the load generators stopped answering pings and thousands of sockets were dropped.
 */
export class PresenceWatchers {
  /** Who watches each user: an array while few (compact), a Set once many (a popular person). */
  private readonly byUser = new Map<number, Connection[] | Set<Connection>>();
  /** Whom each connection watches, earliest first. Arrays, not Sets: half the memory per entry. */
  private readonly byConnection = new Map<Connection, number[]>();

  /** `conn` hears these users' presence from now on (bots' sockets never hear presence). */
  watch(conn: Connection, userIds: Iterable<number>): void {
    if (conn.actor.isBot) return;
    let mine = this.byConnection.get(conn);
    if (!mine) this.byConnection.set(conn, (mine = []));
    const before = mine.length;
    for (const userId of userIds) {
      const watchers = this.byUser.get(userId);
      if (watchers && (Array.isArray(watchers) ? watchers.includes(conn) : watchers.has(conn))) {
        // Watched already: renewed, so the cap drops the longest-unasked first.
        const at = mine.indexOf(userId);
        if (at >= 0 && at < mine.length - 1) mine.push(...mine.splice(at, 1));
        continue;
      }
      mine.push(userId);
      this.link(userId, conn, watchers);
    }
    if (mine.length > maxWatchedPerConnection)
      for (const userId of mine.splice(0, mine.length - maxWatchedPerConnection)) this.unlink(userId, conn);
    // Pushing one by one leaves up to half the array's capacity unused, for as long as the
    // connection lives; a copy has exactly its length (a few microseconds for 5,000).
    else if (mine.length > before) this.byConnection.set(conn, mine.slice());
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
    return this.byConnection.get(conn)?.length ?? 0;
  }

  /** The updates each watching connection should hear, in the order given. */
  split<U extends PresenceUpdate>(updates: readonly U[]): Map<Connection, U[]> {
    const out = new Map<Connection, U[]>();
    for (const update of updates) {
      const watchers = this.byUser.get(update.userId);
      if (!watchers) continue;
      for (const conn of watchers) {
        const list = out.get(conn);
        if (list) list.push(update);
        else out.set(conn, [update]);
      }
    }
    return out;
  }

  private link(userId: number, conn: Connection, watchers: Connection[] | Set<Connection> | undefined): void {
    if (!watchers) this.byUser.set(userId, [conn]);
    else if (!Array.isArray(watchers)) watchers.add(conn);
    else if (watchers.length < arrayMax) watchers.push(conn);
    else this.byUser.set(userId, new Set([...watchers, conn]));
  }

  private unlink(userId: number, conn: Connection): void {
    const watchers = this.byUser.get(userId);
    if (!watchers) return;
    if (Array.isArray(watchers)) {
      const at = watchers.indexOf(conn);
      if (at < 0) return;
      // Order does not matter here: the last takes the gap.
      watchers[at] = watchers[watchers.length - 1]!;
      watchers.pop();
      if (watchers.length === 0) this.byUser.delete(userId);
    } else {
      watchers.delete(conn);
      if (watchers.size === 0) this.byUser.delete(userId);
    }
  }
}
