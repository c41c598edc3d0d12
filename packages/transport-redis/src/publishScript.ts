import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script called by its SHA1 (`EVALSHA`): only the hash travels, and the script is sent
 * whole (`EVAL`, which also caches it) only when Redis answers `NOSCRIPT`, i.e. on first use
 * after a start, a restart or a `SCRIPT FLUSH`. One command per call, no wrapper promise.
 *
 * @example
 * ```ts
 * const incrBy = new PublishScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
 * const total = await incrBy.run(redis, 1, ['counter', '5']);
 * ```
 * @internal
 */
export class PublishScript {
  readonly lua: string;
  readonly sha: string;

  constructor(lua: string) {
    this.lua = lua;
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** Runs the script: `args` holds the `numberOfKeys` keys, then the other arguments. */
  async run(redis: Redis, numberOfKeys: number, args: readonly string[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, numberOfKeys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, numberOfKeys, ...args);
    }
  }
}
