import type { Redis } from 'ioredis';
import type { WireFields } from './wireFormat.js';

/**
 * Adds a batch to the stream in one atomic script, skipping every event id published within the
 * dedupe window: re-sending a batch after a lost reply adds nothing. Returns how many were added.
 * An empty dedupe prefix (ARGV[1]) turns de-duplication off. Every entry of one `send` carries
 * the same `batch` id (ARGV[4]), so the consumer can hand them over together.
 */
const script = `
local added = 0
for i = 5, #ARGV, 3 do
  if ARGV[1] == '' or redis.call('SET', ARGV[1] .. ARGV[i], '1', 'NX', 'PX', ARGV[2]) then
    if ARGV[3] == '' then
      redis.call('XADD', KEYS[1], '*', 'id', ARGV[i], 'key', ARGV[i + 1], 'batch', ARGV[4], 'event', ARGV[i + 2])
    else
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'id', ARGV[i], 'key', ARGV[i + 1], 'batch', ARGV[4], 'event', ARGV[i + 2])
    end
    added = added + 1
  end
end
return added
`;

type PublishingRedis = Redis & { eventwirePublish(streamKey: string, ...args: (string | number)[]): Promise<number> };

/**
 * Registers the script on a client the transport owns (ioredis then uses EVALSHA, with EVAL as
 * fallback after a script flush or a restart).
 * @internal
 */
export function installPublishScript(redis: Redis): void {
  redis.defineCommand('eventwirePublish', { numberOfKeys: 1, lua: script });
}

/** Entries per script call, so one huge `send` never blocks Redis for long. */
const chunkSize = 500;

interface PublishTarget {
  readonly streamKey: string;
  readonly dedupePrefix: string;
  readonly deduplicate: boolean;
  readonly dedupeWindowMs: number;
  readonly maxLength?: number | undefined;
}

/**
 * Publishes entries idempotently (by event id); resolves with the number actually added.
 * @internal
 */
export async function publishEntries(redis: Redis, target: PublishTarget, entries: readonly WireFields[]): Promise<number> {
  let added = 0;
  const batchId = globalThis.crypto.randomUUID();
  for (let start = 0; start < entries.length; start += chunkSize) {
    const args: (string | number)[] = [target.deduplicate ? target.dedupePrefix : '', target.dedupeWindowMs, target.maxLength ?? '', batchId];
    for (const entry of entries.slice(start, start + chunkSize)) args.push(entry.id, entry.key, entry.event);
    added += Number(await (redis as PublishingRedis).eventwirePublish(target.streamKey, ...args));
  }
  return added;
}
