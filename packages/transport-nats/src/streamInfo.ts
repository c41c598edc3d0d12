import type { JetStreamManager } from '@nats-io/jetstream';
import type { ResolvedNatsConfig } from './natsConfig.js';

/** What `getStreamInfo` returns. */
export interface NatsStreamInfo {
  readonly stream: string;
  /** Messages stored in the stream. */
  readonly messages: number;
  /** This transport's durable consumer, once it exists. */
  readonly consumer?: {
    readonly name: string;
    /** Messages not yet delivered. */
    readonly pending: number;
    /** Delivered, not yet acknowledged. */
    readonly ackPending: number;
    readonly redelivered: number;
  };
  readonly deadLetterStream: string;
  readonly deadLetters: number;
}

/** @internal */
export async function readStreamInfo(jsm: JetStreamManager, config: ResolvedNatsConfig): Promise<NatsStreamInfo> {
  const [stream, deadLetters, consumer] = await Promise.all([
    jsm.streams.info(config.stream),
    jsm.streams.info(config.deadLetterStream),
    jsm.consumers.info(config.stream, config.durable).catch(() => undefined),
  ]);
  const info = { stream: config.stream, messages: stream.state.messages, deadLetterStream: config.deadLetterStream, deadLetters: deadLetters.state.messages };
  if (consumer === undefined) return info;
  return { ...info, consumer: { name: consumer.name, pending: consumer.num_pending, ackPending: consumer.num_ack_pending, redelivered: consumer.num_redelivered } };
}
