import { AckPolicy, DeliverPolicy, StorageType, type ConsumerConfig, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { ResolvedNatsConfig } from './natsConfig.js';
import { filterSubjectOf } from './subjects.js';

/**
 * Creates the event stream and the dead-letter stream if they do not exist. An existing stream
 * with another configuration is left as it is: operators own their streams.
 * @internal
 */
export async function ensureStreams(jsm: JetStreamManager, config: ResolvedNatsConfig): Promise<void> {
  const storage = config.storage === 'file' ? StorageType.File : StorageType.Memory;
  const duplicate_window = nanos(config.duplicateWindowMs);
  await addStreamIfMissing(jsm, { name: config.stream, subjects: [`${config.subjectPrefix}.>`], storage, duplicate_window });
  await addStreamIfMissing(jsm, { name: config.deadLetterStream, subjects: [`${config.deadLetterSubjectPrefix}.>`], storage, duplicate_window });
}

/**
 * Creates (or updates) the durable pull consumer: explicit acks, `max_deliver`, `ack_wait`, and
 * a subject filter made from the routing-key patterns.
 * @internal
 */
export async function ensureConsumer(jsm: JetStreamManager, config: ResolvedNatsConfig): Promise<void> {
  const subjects = config.filters.map((pattern) => filterSubjectOf(config.subjectPrefix, pattern));
  const wanted: Partial<ConsumerConfig> = {
    durable_name: config.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(config.ackWaitMs),
    max_deliver: config.maxDeliver,
    max_ack_pending: config.maxAckPending,
    deliver_policy: config.startFrom === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
    ...(subjects.length === 1 ? { filter_subject: subjects[0] } : { filter_subjects: subjects }),
  };
  try {
    await jsm.consumers.add(config.stream, wanted);
  } catch (error) {
    if (!/already exists|already in use/i.test(String((error as Error).message))) throw error;
    const { durable_name: _name, deliver_policy: _policy, ...changeable } = wanted;
    await jsm.consumers.update(config.stream, config.durable, changeable);
  }
}

async function addStreamIfMissing(jsm: JetStreamManager, stream: { name: string; subjects: string[]; storage: StorageType; duplicate_window: number }): Promise<void> {
  try {
    await jsm.streams.info(stream.name);
  } catch (error) {
    if (!/not found/i.test(String((error as Error).message))) throw error;
    try {
      await jsm.streams.add(stream);
    } catch (addError) {
      // Another process created it between our two calls.
      if (!/already in use|already exists/i.test(String((addError as Error).message))) throw addError;
    }
  }
}
