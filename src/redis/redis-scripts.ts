import { RedisClient } from 'bullmq';

/**
 * Token bucket of ARGV[1] tokens per second at KEYS[1], on Redis's clock so every worker shares
 * one bucket. Always takes a token and returns the ms until that token is due (0 = now): the
 * bucket runs negative to hand out future slots in order, so a backlog is spread at the rate
 * instead of every postponed delivery waking for the same next token. The key outlives the last
 * reservation by the time an empty bucket takes to refill (one second), plus a margin.
 */
const TAKE_TOKEN = `
local rate = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or rate
local at = tonumber(bucket[2]) or now
tokens = math.min(rate, tokens + math.max(0, now - at) * rate / 1000) - 1
local wait = 0
if tokens < 0 then wait = math.ceil(-tokens * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], wait + 2000)
return wait`;

const PING = `return redis.call('PING')`;

/** One hit in the fixed window of ARGV[1] ms at KEYS[1]: returns {count, ms until the window ends}. */
const HIT_WINDOW = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Takes a hit back from KEYS[1] while its window lasts (never creates a key). */
const REFUND_HIT = `
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

const SCRIPTS = {
  hookgateTakeToken: { numberOfKeys: 1, lua: TAKE_TOKEN },
  hookgatePing: { numberOfKeys: 0, lua: PING },
  hookgateHitWindow: { numberOfKeys: 1, lua: HIT_WINDOW },
  hookgateRefundHit: { numberOfKeys: 1, lua: REFUND_HIT },
};

const defined = new WeakSet<RedisClient>();

/**
 * Runs one of the driver's scripts through BullMQ's client interface (defineCommand/runCommand),
 * so the driver needs no Redis client of its own.
 */
export function runScript(client: RedisClient, name: keyof typeof SCRIPTS, args: (string | number)[]): Promise<unknown> {
  if (!defined.has(client)) {
    for (const [command, definition] of Object.entries(SCRIPTS)) client.defineCommand(command, definition);
    defined.add(client);
  }
  return client.runCommand(name, args);
}
