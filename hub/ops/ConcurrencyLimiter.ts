import { HubError } from './HubError.ts';

/**
 * On whose behalf a task waits: slots go round-robin between groups (a source address), and
 * within a group round-robin between members (a login), so a flood from one party cannot starve
 * the others.
 */
export interface FairKey {
  group: string;
  member: string;
}

interface Waiter {
  start: () => void;
  refuse: (err: HubError) => void;
}

interface Group {
  /** Member → its waiters, oldest first; map order is the member round-robin order. */
  members: Map<string, Waiter[]>;
  size: number;
}

const busy = () => new HubError('rate_limited', 'the hub is busy signing people in; try again shortly', 1000);

/**
 * Runs at most `max` tasks at once (password hashing: each scrypt takes 128 MiB and a CPU core
 * for a while), with a bounded fair queue: beyond it callers get `rate_limited` at once instead
 * of piling up memory. When the queue (or one group's share of it) is full, the party with the
 * most waiting gives up its newest waiter to a newcomer with fewer — so a flood only ever pushes
 * out its own requests.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private waiting = 0;
  /** Group → its queue; map order is the group round-robin order. */
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly max: number,
    private readonly maxQueue: number,
    /** Waiters one group may have (a quarter of the queue by default). */
    private readonly maxQueuePerGroup = Math.max(1, Math.ceil(maxQueue / 4)),
  ) {}

  /** Runs `task` when a slot is free; `key` says whose turn it takes (one shared party if none). */
  async run<T>(task: () => Promise<T>, key: FairKey = { group: '', member: '' }): Promise<T> {
    if (this.running >= this.max) {
      await new Promise<void>((start, refuse) => this.enqueue(key, { start, refuse }));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.dequeue();
      // The slot passes straight to the next waiter, so `running` stays the same.
      if (next) next.start();
      else this.running--;
    }
  }

  private enqueue(key: FairKey, waiter: Waiter): void {
    const group = this.groups.get(key.group);
    const groupSize = group?.size ?? 0;
    const memberSize = group?.members.get(key.member)?.length ?? 0;
    if (groupSize >= this.maxQueuePerGroup) {
      // The group's share is full: only a member with fewer waiting than its longest gets in.
      const longest = longestOf([...group!.members].map(([k, list]) => [k, list.length] as const));
      if (!longest || longest[1] <= memberSize + 1) return waiter.refuse(busy());
      this.evict(key.group, longest[0]);
    } else if (this.waiting >= this.maxQueue) {
      const longest = longestOf([...this.groups].map(([k, g]) => [k, g.size] as const));
      if (!longest || longest[1] <= groupSize + 1) return waiter.refuse(busy());
      const victim = this.groups.get(longest[0])!;
      this.evict(longest[0], longestOf([...victim.members].map(([k, list]) => [k, list.length] as const))![0]);
    }
    const target = this.groups.get(key.group) ?? { members: new Map<string, Waiter[]>(), size: 0 };
    this.groups.set(key.group, target);
    const list = target.members.get(key.member) ?? [];
    target.members.set(key.member, list);
    list.push(waiter);
    target.size++;
    this.waiting++;
  }

  /** Refuses the newest waiter of a member (it has waited least). */
  private evict(groupKey: string, memberKey: string): void {
    const group = this.groups.get(groupKey)!;
    const list = group.members.get(memberKey)!;
    const victim = list.pop()!;
    if (list.length === 0) group.members.delete(memberKey);
    if (--group.size === 0) this.groups.delete(groupKey);
    this.waiting--;
    victim.refuse(busy());
  }

  /** The next waiter in round-robin order; the served group and member go to the back. */
  private dequeue(): Waiter | undefined {
    const first = this.groups.entries().next();
    if (first.done) return undefined;
    const [groupKey, group] = first.value;
    const [memberKey, list] = group.members.entries().next().value!;
    const waiter = list.shift()!;
    group.members.delete(memberKey);
    if (list.length > 0) group.members.set(memberKey, list);
    this.groups.delete(groupKey);
    if (--group.size > 0) this.groups.set(groupKey, group);
    this.waiting--;
    return waiter;
  }
}

/** The entry with the largest count; of equals the last, i.e. the one that joined or was served last. */
function longestOf(entries: (readonly [string, number])[]): readonly [string, number] | undefined {
  let best: readonly [string, number] | undefined;
  for (const entry of entries) if (!best || entry[1] >= best[1]) best = entry;
  return best;
}
