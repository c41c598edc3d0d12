import type { Redis } from 'ioredis';
import { PublishScript } from './publishScript.js';
import type { WireFields } from './wireFormat.js';

/**
 * Adds a batch to the stream in one atomic script, skipping every event id published within the
 * dedupe window: re-sending a batch after a lost reply adds nothing. Returns how many were added.
 * An empty dedupe prefix (ARGV[1]) turns de-duplication off. Every entry of one `send` carries
 * the same `batch` id (ARGV[4]), so the consumer can hand them over together.
 */
const batchScript = new PublishScript(`
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
`);

/**
 * The same for one event, with no loop and no off switch (without de-duplication one event is a
 * plain `XADD`): ARGV holds the dedupe prefix, the window, the fields and, when the stream is
 * capped, its length. The dedupe key is the batch script's, so both skip each other's ids.
 * Returns 1 if added, 0 if the id was published within the window.
 */
const singleScript = new PublishScript(`
if redis.call('SET', ARGV[1] .. ARGV[3], '1', 'NX', 'PX', ARGV[2]) then
  if ARGV[7] then
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[7], '*', 'id', ARGV[3], 'key', ARGV[4], 'batch', ARGV[5], 'event', ARGV[6])
  else
    redis.call('XADD', KEYS[1], '*', 'id', ARGV[3], 'key', ARGV[4], 'batch', ARGV[5], 'event', ARGV[6])
  end
  return 1
end
return 0
`);

/** Entries per script call, so one huge `send` never blocks Redis for long. */
const chunkSize = 500;

/** Where and how a {@link Publisher} appends. @internal */
export interface PublishTarget {
  readonly streamKey: string;
  readonly dedupePrefix: string;
  readonly deduplicate: boolean;
  readonly dedupeWindowMs: number;
  readonly maxLength?: number | undefined;
}

/**
 * Appends encoded events to the stream idempotently (by event id) and resolves with the number
 * actually added. One event takes one `EVALSHA` of a two-command script (or, without
 * de-duplication, one plain `XADD`); a batch takes one script call per 500 entries.
 *
 * @example
 * ```ts
 * const publisher = new Publisher(redis, config);
 * const added = await publisher.publish([encodeEntry(event, config.source)]); // 1, then 0 if sent again
 * ```
 * @internal
 */
export class Publisher {
  readonly #redis: Redis;
  readonly #target: PublishTarget;
  readonly #window: string;
  readonly #maxLength: string | undefined;
  /** Batch ids: unique per transport (random) and per `send` (counter), without a UUID each. */
  readonly #batchPrefix = `${globalThis.crypto.randomUUID().slice(0, 18)}.`;
  #batchCount = 0;

  constructor(redis: Redis, target: PublishTarget) {
    this.#redis = redis;
    this.#target = target;
    this.#window = String(target.dedupeWindowMs);
    this.#maxLength = target.maxLength === undefined ? undefined : String(target.maxLength);
  }

  /** Appends the entries of one `send` as one sender batch; resolves with the number added. */
  publish(entries: readonly WireFields[]): Promise<number> {
    const batch = this.#batchPrefix + (this.#batchCount++).toString(36);
    return entries.length === 1 ? this.#publishOne(entries[0]!, batch) : this.#publishMany(entries, batch);
  }

  async #publishOne(entry: WireFields, batch: string): Promise<number> {
    const { streamKey, deduplicate, dedupePrefix } = this.#target;
    if (!deduplicate) {
      // A single XADD is atomic by itself: no script needed.
      if (this.#maxLength === undefined) await this.#redis.xadd(streamKey, '*', 'id', entry.id, 'key', entry.key, 'batch', batch, 'event', entry.event);
      else await this.#redis.xadd(streamKey, 'MAXLEN', '~', this.#maxLength, '*', 'id', entry.id, 'key', entry.key, 'batch', batch, 'event', entry.event);
      return 1;
    }
    const args = [streamKey, dedupePrefix, this.#window, entry.id, entry.key, batch, entry.event];
    if (this.#maxLength !== undefined) args.push(this.#maxLength);
    return Number(await singleScript.run(this.#redis, 1, args));
  }

  async #publishMany(entries: readonly WireFields[], batch: string): Promise<number> {
    const { streamKey, deduplicate, dedupePrefix } = this.#target;
    let added = 0;
    for (let start = 0; start < entries.length; start += chunkSize) {
      const args = [streamKey, deduplicate ? dedupePrefix : '', this.#window, this.#maxLength ?? '', batch];
      const end = Math.min(start + chunkSize, entries.length);
      for (let i = start; i < end; i++) args.push(entries[i]!.id, entries[i]!.key, entries[i]!.event);
      added += Number(await batchScript.run(this.#redis, 1, args));
    }
    return added;
  }
}
