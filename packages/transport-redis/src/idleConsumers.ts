import type { Redis } from 'ioredis';

/**
 * Deletes the group's consumers (other than this one) that hold no pending entries and have
 * been idle at least `idleMs`: processes that stopped, under names that will not come back.
 * One script, so a consumer cannot receive an entry between the check and the delete (which
 * would drop that entry from the pending list).
 */
const script = `
local deleted = 0
for _, info in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local fields = {}
  for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
  if fields['name'] ~= ARGV[3] and tonumber(fields['pending']) == 0 and tonumber(fields['idle']) >= tonumber(ARGV[2]) then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], fields['name'])
    deleted = deleted + 1
  end
end
return deleted
`;

/**
 * Forgets idle consumers without pending entries; returns how many.
 * @internal
 */
export async function forgetIdleConsumers(redis: Redis, target: { streamKey: string; consumerGroup: string; consumerName: string }, idleMs: number): Promise<number> {
  return Number(await redis.eval(script, 1, target.streamKey, target.consumerGroup, idleMs, target.consumerName));
}
