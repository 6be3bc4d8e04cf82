// The Lua scripts of ClusterPresence. Each runs atomically inside Redis, so exactly one node sees a
// given change of a user's status (and publishes it), however many nodes report at once. Times are
// Redis's own clock (TIME), never a node's: nodes' clocks may disagree, and expiry must not.
//
// Keys (prefix P, `beseda:presence:` by default):
//   P nodes          sorted set: node id → when it is presumed dead (ms), pushed forward by its beats
//   P u:<userId>     hash: node id → "connections,idle" on that node; `~chosen` → the chosen status
//   P n:<nodeId>     set: the users that node has connections of (to sweep when it dies)
//   P status         hash: userId → the status last published (absent: offline)
//   P status:version counter of changes to P status (INCR; absent: 0)
// and the channel P status:changes, on which every change is published as "version userId status",
// so each node keeps a mirror of P status current (RedisPresenceRelay's PresenceMirror): the
// version shows a lost message, and a mirror seeds itself from (version, HGETALL) read atomically.
// The user and node keys are built inside the scripts, which a single Redis (or Sentinel) allows;
// Redis Cluster would need them declared (hash tags), which is not done.

/** Derives a user's status from the live nodes' counts (hub/ops/Presence.ts's derive, across nodes). */
const derive = `
local function derive(key, now, nodes)
  local all = redis.call('HGETALL', key)
  local total, active, chosen = 0, 0, 'online'
  for i = 1, #all, 2 do
    local field, value = all[i], all[i + 1]
    if field == '~chosen' then
      chosen = value
    else
      local until_ = redis.call('ZSCORE', nodes, field)
      if until_ and tonumber(until_) >= now then
        local c, idle = string.match(value, '^(%d+),(%d+)$')
        if c then
          total = total + tonumber(c)
          active = active + tonumber(c) - tonumber(idle)
        end
      end
    end
  end
  if total == 0 then return 'offline' end
  if chosen == 'dnd' or chosen == 'away' then return chosen end
  if active > 0 then return 'online' end
  return 'away'
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Stores the derived status and announces a change to every node's mirror; returns whether it changed.
local function settle(statusKey, uid, status)
  local was = redis.call('HGET', statusKey, uid) or 'offline'
  if status == was then return 0 end
  if status == 'offline' then redis.call('HDEL', statusKey, uid) else redis.call('HSET', statusKey, uid, status) end
  local version = redis.call('INCR', statusKey .. ':version')
  redis.call('PUBLISH', statusKey .. ':changes', version .. ' ' .. uid .. ' ' .. status)
  return 1
end
`;

/**
 * One node's connections of one user. KEYS: nodes, u:<uid>, n:<node>, status. ARGV: node, uid,
 * connections, idle connections, chosen status ('' leaves it), node lifetime ms.
 * Returns { status, changed (0|1) }.
 */
export const setScript = `${derive}
local now = now_ms()
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[6]), ARGV[1])
if tonumber(ARGV[3]) > 0 then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3] .. ',' .. ARGV[4])
  redis.call('SADD', KEYS[3], ARGV[2])
else
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[2])
end
if ARGV[5] ~= '' then redis.call('HSET', KEYS[2], '~chosen', ARGV[5]) end
local status = derive(KEYS[2], now, KEYS[1])
return { status, settle(KEYS[4], ARGV[2], status) }
`;

/**
 * A node's heartbeat, and the sweep of nodes that stopped beating. KEYS: nodes, status. ARGV: node,
 * node lifetime ms, key prefix. Returns { 1 if this node was not listed (new, expired or Redis
 * restarted empty: it must report its users again), then uid, status pairs of changed users }.
 */
export const beatScript = `${derive}
local now = now_ms()
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local out = { added }
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
for _, node in ipairs(dead) do
  local members = ARGV[3] .. 'n:' .. node
  for _, uid in ipairs(redis.call('SMEMBERS', members)) do
    local key = ARGV[3] .. 'u:' .. uid
    redis.call('HDEL', key, node)
    local status = derive(key, now, KEYS[1])
    if settle(KEYS[2], uid, status) == 1 then
      table.insert(out, uid)
      table.insert(out, status)
    end
  end
  redis.call('DEL', members)
  redis.call('ZREM', KEYS[1], node)
end
return out
`;

/** A node leaving on purpose: what the sweep does for a dead one, at once. Same KEYS and ARGV as beat. */
export const leaveScript = beatScript.replace(
  "local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])",
  "local added = redis.call('ZADD', KEYS[1], now - 1, ARGV[1])",
);

/** The counter of changes to the status hash (see the keys above). */
export function statusVersionKey(prefix: string): string {
  return `${prefix}status:version`;
}

/** The channel every change of the status hash is published on: "version userId status". */
export function statusChannel(prefix: string): string {
  return `${prefix}status:changes`;
}
