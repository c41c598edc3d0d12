export { NatsJetStreamTransport, createNatsTransport } from './natsTransport.js';
export type { DeadLetteredNotice, NatsTransportOptions } from './natsConfig.js';
export type { NatsTransportStats } from './natsStats.js';
export type { NatsDeadLetter } from './deadLetters.js';
export type { NatsStreamInfo } from './streamInfo.js';
export { subjectOf, filterSubjectOf } from './subjects.js';
