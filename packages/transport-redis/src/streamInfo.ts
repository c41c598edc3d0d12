import type { Redis } from 'ioredis';

/** One consumer group of the stream, as `XINFO GROUPS` reports it. */
export interface RedisGroupInfo {
  readonly name: string;
  readonly consumers: number;
  /** Entries delivered and not yet acknowledged. */
  readonly pending: number;
  readonly lastDeliveredId: string;
  /** Entries not yet delivered to the group, when Redis (7+) knows. */
  readonly lag?: number;
}

/** What `getStreamInfo` returns. */
export interface RedisStreamInfo {
  readonly stream: string;
  readonly length: number;
  readonly groups: readonly RedisGroupInfo[];
  readonly deadLetterStream: string;
  readonly deadLetters: number;
}

/** Reads the stream's length, groups and dead-letter count. @internal */
export async function readStreamInfo(redis: Redis, target: { streamKey: string; deadLetterStream: string }): Promise<RedisStreamInfo> {
  const [length, groups, deadLetters] = await Promise.all([
    redis.xlen(target.streamKey),
    (redis.xinfo('GROUPS', target.streamKey) as Promise<unknown[][]>).catch(() => []),
    redis.xlen(target.deadLetterStream),
  ]);
  return { stream: target.streamKey, length, groups: groups.map(toGroupInfo), deadLetterStream: target.deadLetterStream, deadLetters };
}

function toGroupInfo(flat: unknown[]): RedisGroupInfo {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) raw[String(flat[i])] = flat[i + 1];
  const info = { name: String(raw.name), consumers: Number(raw.consumers), pending: Number(raw.pending), lastDeliveredId: String(raw['last-delivered-id']) };
  return typeof raw.lag === 'number' ? { ...info, lag: raw.lag } : info;
}
