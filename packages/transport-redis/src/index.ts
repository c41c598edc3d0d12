export { RedisStreamsTransport, createRedisTransport } from './redisTransport.js';
export type { DeadLetteredNotice, RedisTransportOptions } from './redisConfig.js';
export type { RedisTransportStats } from './redisStats.js';
export type { RedisDeadLetter } from './deadLetters.js';
export type { RedisStreamInfo, RedisGroupInfo } from './streamInfo.js';
