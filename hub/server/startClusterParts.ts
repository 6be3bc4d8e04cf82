import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/HubConfig.ts';
import { RedisEventBus } from '../cluster/RedisEventBus.ts';
import { createRedisPresenceRelay } from '../cluster/RedisPresenceRelay.ts';
import { createRedisSharedLimits } from '../cluster/RedisSharedLimits.ts';
import { RedisSyncFloors } from '../cluster/RedisSyncFloors.ts';
import type { ConnectionRegistry } from './ConnectionRegistry.ts';
import type { NodeParts } from './openHub.ts';
import { reactToGap } from './reactToGap.ts';
import { SeqOrderedSink } from './SeqOrderedSink.ts';
import { SyncFloors } from './SyncFloors.ts';

/** Redis as `/healthz` and `/metrics` show it: the event bus's link and counts since start. */
export interface RedisHealth {
  /** Events travel both ways now (published and subscribed). */
  ok: boolean;
  published: number;
  received: number;
  /** Not published because Redis was unreachable (this node's own clients still got them). */
  dropped: number;
  /** Times this node's clients may have missed other nodes' events (each answered by a catch-up). */
  gaps: number;
  /** Presence is the cluster's (false: Redis away, this node shows its own view meanwhile). */
  presence: boolean;
  /** Rate limits and sign-in back-off are shared (false: each node limits on its own meanwhile). */
  limits: boolean;
}

/** What joins this node to the others (`--redis`), built before the hub and closed after it. */
export interface ClusterParts {
  nodeId: string;
  /** Sessions' sync floors after a gap (reactToGap), shared with the other nodes through Redis. */
  floors: SyncFloors;
  /** What the hub core gets: `events` (local delivery plus Redis), the presence relay, shared limits. */
  hubParts: NodeParts;
  redisHealth(): RedisHealth;
  /** Closes the Redis links (after the hub core: its last events still go out). */
  close(): Promise<void>;
}

/** How long start-up waits for the first subscription before serving anyway (Redis is a relay). */
const readyWaitMs = 5000;

/**
 * This node's name: `--node-id`, or `<hostname>:<port>` when the port is fixed (the same name
 * after a restart, so the others see the node come back rather than a new one), else
 * `<hostname>:pid<pid>` (`--port 0`, where the port is not known yet).
 */
export function nodeIdOf(config: Pick<HubConfig, 'nodeId' | 'port'>): string {
  if (config.nodeId !== null) return config.nodeId;
  return config.port !== 0 ? `${hostname()}:${config.port}` : `${hostname()}:pid${process.pid}`;
}

/**
 * With `--redis`: the event bus in front of the node's registry, reacting to its gaps (reactToGap).
 * Null on a single node. Waits up to a few seconds for Redis; an unreachable Redis is logged
 * and the node serves its own clients meanwhile (the bus reconnects by itself).
 */
export async function startClusterParts(o: {
  config: HubConfig;
  registry: ConnectionRegistry;
  log: Logger;
}): Promise<ClusterParts | null> {
  const { config, registry, log } = o;
  if (config.redis === null) return null;
  const nodeId = nodeIdOf(config);
  const floorShare = new RedisSyncFloors({ url: config.redis, log });
  const floors = new SyncFloors(undefined, undefined, floorShare);
  // Other nodes' messages may arrive after later ones of this node: delivered in sequence order.
  // Around a Redis outage, late lower positions are left to the gap's catch-up (in order).
  const ordered = new SeqOrderedSink(
    registry,
    () => !bus.connected,
    undefined,
    undefined,
    () => bus.awaitingGap,
  );
  const bus: RedisEventBus = new RedisEventBus({
    url: config.redis,
    nodeId,
    local: ordered,
    log,
    onGap: (gap) => reactToGap(gap, registry, floors, log),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ready = await Promise.race([
    bus.ready().then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), readyWaitMs))),
  ]);
  clearTimeout(timer);
  if (!ready) log.warn({ nodeId }, 'event bus: Redis does not answer yet; serving this node alone until it does');
  // Closed by the hub core (Presence.close: this node leaves, its people go offline through
  // `events`), and again here (idempotent) in case the core never opened.
  const presenceRelay = createRedisPresenceRelay({ url: config.redis, nodeId, log });
  // Connects in the background: until Redis answers, each node's own limits apply.
  const sharedLimits = createRedisSharedLimits({ url: config.redis, log });
  return {
    nodeId,
    floors,
    hubParts: { events: bus, presenceRelay, sharedLimits, nodeId },
    redisHealth: () => {
      const { published, received, dropped, gaps } = bus.counts;
      const shared = { presence: presenceRelay.live, limits: sharedLimits.shared };
      return { ok: bus.connected, published, received, dropped, gaps, ...shared };
    },
    async close() {
      await Promise.all([presenceRelay.close(), sharedLimits.close(), floorShare.close()]);
      await bus.close();
      ordered.flushAll();
    },
  };
}
