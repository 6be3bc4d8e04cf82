import type { BackoffPolicy, LoginThrottlePolicies } from '../ops/LoginThrottle.ts';

/**
 * hub/ops/LoginThrottle.ts's back-off as two atomic Redis scripts on Redis's clock, so every node
 * counts a login's failures (and its attempts still being checked) in one place.
 *
 * KEYS: 1 the account's counter, 2 the (source, login) pair's, 3 the source's, 4 the "this login
 * signed in from this source" mark (a key that expires after knownForMs).
 * ARGV: 1-4, 5-8, 9-12 the account's, pair's and source's policies (free, baseMs, capMs,
 * forgetAfterMs); 13 pendingTtlMs; (settle only) 14 outcome, 15 known (1/0), 16 knownForMs.
 *
 * A counter is a hash: failures, last (the last failure's time), pending (attempts let through and
 * not settled yet), pendingAt (the last reservation's time). A node that dies between reserve and
 * settle would leave `pending` up for ever; it is ignored once no reservation came for
 * pendingTtlMs, so at worst one lost attempt counts as a failure for that long.
 */
const common = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pendingTtl = tonumber(ARGV[13])
local function policy(i)
  return tonumber(ARGV[i]), tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
end
local function delay(failures, free, base, cap)
  if failures < free then return 0 end
  return math.min(cap, base * 2 ^ math.min(failures - free, 40))
end
-- Failures still remembered, the last one's time, attempts being checked.
local function read(key, forget)
  local h = redis.call('HMGET', key, 'failures', 'last', 'pending', 'pendingAt')
  local failures, last = tonumber(h[1]) or 0, tonumber(h[2]) or 0
  if now - last >= forget then failures = 0 end
  local pending = tonumber(h[3]) or 0
  if now - (tonumber(h[4]) or 0) >= pendingTtl then pending = 0 end
  return failures, last, pending
end
local known = redis.call('EXISTS', KEYS[4]) == 1
`;

/** Lets an attempt through and counts it as being checked ({1, known}), or {0, milliseconds to wait}. */
export const reserveLoginScript = `${common}
local function wait(key, i)
  local free, base, cap, forget = policy(i)
  local failures, last, pending = read(key, forget)
  local settled, inFlight = 0, 0
  if failures > 0 then settled = math.max(0, last + delay(failures, free, base, cap) - now) end
  if pending > 0 then inFlight = delay(failures + pending, free, base, cap) end
  return math.max(settled, inFlight)
end
local retry = math.max(wait(KEYS[1], 1), wait(KEYS[2], 5))
if not known then retry = math.max(retry, wait(KEYS[3], 9)) end
if retry > 0 then return {0, math.ceil(retry)} end
local function hold(key, i)
  local free, base, cap, forget = policy(i)
  local failures, last, pending = read(key, forget)
  redis.call('HSET', key, 'pending', pending + 1, 'pendingAt', now)
  redis.call('PEXPIRE', key, math.max(pendingTtl, forget))
end
hold(KEYS[1], 1)
hold(KEYS[2], 5)
if not known then hold(KEYS[3], 9) end
if known then return {1, 1} end
return {1, 0}
`;

/**
 * Ends a reserved attempt: a failure counts on every counter it was counted on; a success clears
 * the account's and the pair's failures (not the source's) and marks the login known at the source.
 */
export const settleLoginScript = `${common}
local outcome = ARGV[14]
local function settle(key, i, isSource)
  local free, base, cap, forget = policy(i)
  local failures, last, pending = read(key, forget)
  pending = math.max(0, pending - 1)
  if outcome == 'failed' then
    failures = failures + 1
    last = now
  elseif outcome == 'succeeded' and not isSource then
    failures = 0
  end
  if pending == 0 and failures == 0 then
    redis.call('DEL', key)
    return
  end
  redis.call('HSET', key, 'failures', failures, 'last', last, 'pending', pending)
  redis.call('PEXPIRE', key, math.max(pendingTtl, forget))
end
settle(KEYS[1], 1, false)
settle(KEYS[2], 5, false)
if ARGV[15] ~= '1' then settle(KEYS[3], 9, true) end
if outcome == 'succeeded' then redis.call('SET', KEYS[4], '1', 'PX', ARGV[16]) end
return 1
`;

/** Attempts not settled for this long are no longer counted as being checked (a node died meanwhile). */
export const pendingTtlMs = 120_000;

/** ARGV 1-13 of both scripts. */
export function policyArgs(policies: LoginThrottlePolicies): number[] {
  const four = (p: BackoffPolicy) => [p.free, p.baseMs, p.capMs, p.forgetAfterMs];
  return [...four(policies.account), ...four(policies.pair), ...four(policies.source), pendingTtlMs];
}

/** KEYS 1-4 of both scripts, under `prefix` (e.g. `beseda:limits:login:signin:`). */
export function loginKeys(prefix: string, account: string, source: string): string[] {
  const pair = `${source} ${account}`;
  return [`${prefix}a:${account}`, `${prefix}p:${pair}`, `${prefix}s:${source}`, `${prefix}k:${pair}`];
}
