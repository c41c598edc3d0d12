import { isEventwireError, type AnyEvent } from '@eventwire/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisStreamsTransport, type RedisTransportOptions } from '../index.js';
import { decodingReceiver, deletePrefix, eventually, OrderPlaced, placed, redisAvailability, redisUrl, uniquePrefix } from './redisHarness.js';

const availability = await redisAvailability();

describe.skipIf(!availability.ok)('RedisStreamsTransport on a real Redis', () => {
  let admin: Redis;
  const prefixes: string[] = [];
  const transports: RedisStreamsTransport[] = [];

  beforeAll(() => {
    admin = new Redis(redisUrl);
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((transport) => transport.close()));
    for (const prefix of prefixes.splice(0)) await deletePrefix(admin, prefix);
  });
  afterAll(async () => {
    await admin.quit();
  });

  function transport(label: string, options: Partial<RedisTransportOptions> = {}): RedisStreamsTransport {
    const streamPrefix = options.streamPrefix ?? uniquePrefix(label);
    if (!prefixes.includes(streamPrefix)) prefixes.push(streamPrefix);
    const created = new RedisStreamsTransport({ connection: redisUrl, streamPrefix, blockMs: 200, ...options });
    transports.push(created);
    return created;
  }

  it('carries events as CloudEvents JSON through a consumer group, and acks them once handled', async () => {
    const publisher = transport('roundtrip');
    const consumer = transport('roundtrip', { streamPrefix: publisher.config.streamPrefix });
    const seen: AnyEvent[] = [];
    consumer.receive(decodingReceiver((event) => void seen.push(event)));
    const events = [placed(1), placed(2), placed(3)];
    await publisher.send(events);
    await eventually(() => (seen.length === 3 ? true : undefined), '3 events');
    expect(seen.map((event) => event.id)).toEqual(events.map((event) => event.id));
    expect(seen[0]).toEqual(events[0]);

    const [, flat] = (await admin.xrange(publisher.config.streamKey, '-', '+', 'COUNT', 1))[0]!;
    const fields = Object.fromEntries(flat.flatMap((value, i) => (i % 2 === 0 ? [[value, flat[i + 1]]] : [])));
    expect(Object.keys(fields).sort()).toEqual(['batch', 'event', 'id', 'key']);
    expect(fields.key).toBe('Order.OrderPlaced');
    expect(JSON.parse(fields.event!)).toMatchObject({ specversion: '1.0', id: events[0]!.id, type: 'OrderPlaced', subject: 'o-1', data: { orderId: 'o-1', amount: 1 } });
    await eventually(async () => ((await consumer.getStreamInfo()).groups[0]?.pending === 0 ? true : undefined), 'acks');
    expect(consumer.getStats()).toMatchObject({ eventsConsumed: 3, eventsProcessedOk: 3, eventsProcessedFailed: 0 });
    expect(publisher.getStats().eventsPublished).toBe(3);
  });

  it('publishes a batch idempotently: sending it again adds nothing', async () => {
    const publisher = transport('idempotent');
    const events = Array.from({ length: 1_200 }, (_, n) => placed(n));
    await publisher.send(events);
    await publisher.send(events);
    await publisher.send(events.slice(100, 300));
    expect(await admin.xlen(publisher.config.streamKey)).toBe(1_200);
    expect(publisher.getStats().eventsPublished).toBe(1_200);
  });

  it('publishes one event idempotently too, and one-event and batch sends skip each other\'s ids', async () => {
    const publisher = transport('single');
    const events = Array.from({ length: 10 }, (_, n) => placed(n));
    for (const event of events.slice(0, 5)) await publisher.send([event]);
    await publisher.send([events[0]!]);
    await publisher.send(events); // a batch: the first five are known already
    for (const event of events) await publisher.send([event]);
    const entries = await admin.xrange(publisher.config.streamKey, '-', '+');
    expect(entries.map(([, flat]) => flat[flat.indexOf('id') + 1])).toEqual(events.map((event) => event.id));
    expect(publisher.getStats().eventsPublished).toBe(10);
    // Every send is its own sender batch: five one-event sends, then the batch's five entries.
    const batches = entries.map(([, flat]) => flat[flat.indexOf('batch') + 1]);
    expect(new Set(batches.slice(0, 5)).size).toBe(5);
    expect(new Set(batches.slice(5)).size).toBe(1);
    expect(batches.slice(0, 5)).not.toContain(batches[5]);
  });

  it('appends every one-event send without deduplicate, and trims one-event sends with maxLength', async () => {
    const duplicating = transport('nodedupe', { deduplicate: false });
    const event = placed(1);
    await duplicating.send([event]);
    await duplicating.send([event]);
    const entries = await admin.xrange(duplicating.config.streamKey, '-', '+');
    expect(entries.map(([, flat]) => flat[flat.indexOf('id') + 1])).toEqual([event.id, event.id]);
    expect(new Set(entries.map(([, flat]) => flat[flat.indexOf('batch') + 1])).size).toBe(2);
    expect(duplicating.getStats().eventsPublished).toBe(2);

    for (const deduplicate of [true, false]) {
      const capped = transport(`capped${deduplicate}`, { maxLength: 50, deduplicate });
      for (let n = 0; n < 400; n++) await capped.send([placed(n)]);
      const length = await admin.xlen(capped.config.streamKey);
      expect(length).toBeLessThan(400); // MAXLEN ~ trims whole nodes
      expect(length).toBeGreaterThanOrEqual(50);
    }
  });

  it('splits work between consumers of one group, and gives every group every event', async () => {
    const publisher = transport('groups');
    const streamPrefix = publisher.config.streamPrefix;
    const byConsumer = new Map<string, string[]>();
    const record = (name: string) => decodingReceiver((event) => void byConsumer.set(name, [...(byConsumer.get(name) ?? []), event.id]));
    transport('groups', { streamPrefix, consumerGroup: 'a', consumerName: 'a1', batchSize: 5 }).receive(record('a1'));
    transport('groups', { streamPrefix, consumerGroup: 'a', consumerName: 'a2', batchSize: 5 }).receive(record('a2'));
    transport('groups', { streamPrefix, consumerGroup: 'b', consumerName: 'b1' }).receive(record('b1'));
    const events = Array.from({ length: 200 }, (_, n) => placed(n));
    for (let i = 0; i < events.length; i += 20) await publisher.send(events.slice(i, i + 20));
    const ids = events.map((event) => event.id).sort();
    await eventually(() => ((byConsumer.get('a1')?.length ?? 0) + (byConsumer.get('a2')?.length ?? 0) === 200 && byConsumer.get('b1')?.length === 200 ? true : undefined), 'both groups');
    expect([...(byConsumer.get('a1') ?? []), ...(byConsumer.get('a2') ?? [])].sort()).toEqual(ids);
    expect([...byConsumer.get('b1')!].sort()).toEqual(ids);
  });

  it('retries a failing event maxRetries times, then dead-letters it with the handler error; replay delivers it again', async () => {
    const publisher = transport('retries');
    const notices: unknown[] = [];
    const consumer = transport('retries', { streamPrefix: publisher.config.streamPrefix, maxRetries: 2, pendingIdleMs: 50, recoveryIntervalMs: 50, consumerName: 'c1', onDeadLettered: (notice) => void notices.push(notice) });
    const attempts = new Map<string, number>();
    let healed = false;
    const poison = placed(666);
    const good = placed(1);
    consumer.receive(
      decodingReceiver((event) => {
        attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
        if (event.id === poison.id && !healed) throw new Error('payment service says no');
      }),
    );
    await publisher.send([poison, good]);
    const [deadLetter] = await eventually(async () => {
      const letters = await consumer.listDeadLetters();
      return letters.length === 1 ? letters : undefined;
    }, 'the dead letter');
    expect(attempts.get(poison.id)).toBe(3);
    expect(attempts.get(good.id)).toBe(1);
    expect(deadLetter).toMatchObject({ eventId: poison.id, attempts: 3, consumerGroup: 'eventwire', reason: { message: 'payment service says no' } });
    expect(JSON.parse(deadLetter!.fields.event!).id).toBe(poison.id);
    expect(consumer.getStats()).toMatchObject({ messagesSentToDeadLetter: 1, handlerErrors: 3, eventsProcessedOk: 1, messagesRecovered: 0 });
    expect(notices).toEqual([{ eventId: poison.id, consumer: 'c1', attempts: 3, reason: expect.objectContaining({ message: 'payment service says no' }) }]);
    expect((await consumer.getStreamInfo()).groups[0]?.pending).toBe(0);

    healed = true;
    await consumer.replayDeadLetter(deadLetter!.id);
    await eventually(() => (attempts.get(poison.id) === 4 ? true : undefined), 'the replayed event');
    expect(await consumer.listDeadLetters()).toEqual([]);
    await expect(consumer.replayDeadLetter(deadLetter!.id)).rejects.toSatisfy((error) => isEventwireError(error, 'DEAD_LETTER_NOT_FOUND'));
  });

  it('recovers the whole pending list of a stalled consumer, page by page, and counts only successes as recovered', async () => {
    const publisher = transport('recovery');
    const streamPrefix = publisher.config.streamPrefix;
    const stalled = transport('recovery', { streamPrefix, consumerName: 'stalled', batchSize: 50 });
    let grabbed = 0;
    stalled.receive(async ({ payloads }) => {
      grabbed += payloads.length;
      return { handled: [], failed: [], rejected: [] }; // settles nothing: everything stays pending
    });
    const events = Array.from({ length: 45 }, (_, n) => placed(n));
    await publisher.send(events);
    await eventually(() => (grabbed === 45 ? true : undefined), 'the stalled consumer to read everything');
    await stalled.close();

    const failing = new Set([events[3]!.id, events[30]!.id]);
    const handled: string[] = [];
    const rescuer = transport('recovery', { streamPrefix, consumerName: 'rescuer', batchSize: 10, pendingIdleMs: 100, recoveryIntervalMs: 100, maxRetries: 5 });
    rescuer.receive(
      decodingReceiver((event) => {
        if (failing.has(event.id)) throw new Error('still broken');
        handled.push(event.id);
      }),
    );
    await eventually(() => (handled.length === 43 ? true : undefined), 'the recovered events');
    expect(new Set(handled)).toEqual(new Set(events.map((event) => event.id).filter((id) => !failing.has(id))));
    const stats = rescuer.getStats();
    expect(stats.messagesRecovered).toBe(43);
    expect(stats.eventsProcessedFailed).toBeGreaterThanOrEqual(2);
  });

  it('dead-letters garbage, forged and unknown entries written straight to the stream, with the reason, and keeps consuming', async () => {
    const consumer = transport('garbage', { maxRetries: 1, pendingIdleMs: 50, recoveryIntervalMs: 50 });
    const stream = consumer.config.streamKey;
    const handled: AnyEvent[] = [];
    consumer.receive(decodingReceiver((event) => void handled.push(event)));
    const cloudEvent = (overrides: Record<string, unknown>) => JSON.stringify({ specversion: '1.0', id: 'x1', source: 'urn:test', type: 'OrderPlaced', time: new Date().toISOString(), data: { orderId: 'o', amount: 1 }, ...overrides });
    await admin.xadd(stream, '*', 'event', '{not json');
    await admin.xadd(stream, '*', 'something', 'else');
    await admin.xadd(stream, '*', 'event', cloudEvent({ specversion: '0.3' }));
    await admin.xadd(stream, '*', 'event', cloudEvent({ id: 'x2', type: 'AdminGranted' }));
    await admin.xadd(stream, '*', 'event', cloudEvent({ id: 'x3', data: { orderId: 42 } }));
    await admin.xadd(stream, '*', 'event', cloudEvent({ id: 'x4' }).replace('"data":{', '"data":{"__proto__":{"admin":true},'));
    const good = placed(7);
    await consumer.send([good]);
    await eventually(() => (handled.length === 1 ? true : undefined), 'the good event after the garbage');
    const letters = await eventually(async () => {
      const list = await consumer.listDeadLetters();
      return list.length === 6 ? list : undefined;
    }, '6 dead letters');
    expect(handled.map((event) => event.id)).toEqual([good.id]);
    expect(letters.map((letter) => letter.reason.code)).toEqual(['INVALID_EVENT', 'INVALID_EVENT', 'INVALID_EVENT', 'UNKNOWN_EVENT_TYPE', 'SCHEMA_VALIDATION_FAILED', 'FORBIDDEN_KEY']);
    expect(letters[0]!.reason.message).toMatch(/not valid JSON/);
    expect(letters[0]!.fields).toEqual({ event: '{not json' });
    expect(letters[1]!.reason.message).toMatch(/no "event" field/);
    expect(letters[2]!.reason.message).toMatch(/specversion/);
    expect(letters.every((letter) => letter.attempts === 1)).toBe(true);
    expect(consumer.getStats()).toMatchObject({ messagesSentToDeadLetter: 6, eventsProcessedOk: 1 });
    expect((await consumer.getStreamInfo()).groups[0]?.pending).toBe(0);
  });

  it('reports the stream, its groups and the dead letters', async () => {
    const consumer = transport('info', { consumerGroup: 'reporting' });
    consumer.receive(decodingReceiver(() => {}));
    await consumer.send([placed(1), placed(2)]);
    const info = await eventually(async () => {
      const current = await consumer.getStreamInfo();
      return current.groups[0]?.lastDeliveredId !== '0-0' && current.groups[0]?.pending === 0 ? current : undefined;
    }, 'delivery');
    expect(info).toMatchObject({ stream: consumer.config.streamKey, length: 2, deadLetters: 0, groups: [{ name: 'reporting', consumers: 1, pending: 0 }] });
  });

  it('starts a new group at new entries with startFrom: new, trims with maxLength, and leaves a borrowed client open', async () => {
    const template = new Redis(redisUrl);
    const publisher = transport('options', { connection: template, maxLength: 50 });
    const streamPrefix = publisher.config.streamPrefix;
    await publisher.send(Array.from({ length: 1_000 }, (_, n) => placed(n)));
    const length = await admin.xlen(publisher.config.streamKey);
    expect(length).toBeLessThan(1_000); // MAXLEN ~ trims whole nodes, so roughly 50 remain
    expect(length).toBeGreaterThanOrEqual(50);
    const late = transport('options', { streamPrefix, consumerGroup: 'late', startFrom: 'new' });
    const seen: string[] = [];
    late.receive(decodingReceiver((event) => void seen.push(event.id)));
    await eventually(async () => ((await late.getStreamInfo()).groups.some((group) => group.name === 'late') ? true : undefined), 'the group');
    const fresh = placed(5_000);
    await publisher.send([fresh]);
    await eventually(() => (seen.length === 1 ? true : undefined), 'the new event');
    expect(seen).toEqual([fresh.id]);
    await publisher.close();
    expect(await template.ping()).toBe('PONG');
    await template.quit();
  });

  it('forgets consumers of stopped processes that hold nothing pending, and keeps those that do', async () => {
    const publisher = transport('forget');
    const streamPrefix = publisher.config.streamPrefix;
    const stream = publisher.config.streamKey;
    await admin.xgroup('CREATE', stream, 'workers', '0', 'MKSTREAM');
    await publisher.send([placed(1)]);
    await admin.xreadgroup('GROUP', 'workers', 'holding', 'COUNT', 1, 'STREAMS', stream, '>'); // pending: 1
    await admin.xgroup('CREATECONSUMER', stream, 'workers', 'gone'); // pending: 0
    await new Promise((resolve) => setTimeout(resolve, 150));
    const survivor = transport('forget', { streamPrefix, consumerGroup: 'workers', consumerName: 'survivor', forgetIdleConsumersAfterMs: 100, recoveryIntervalMs: 50, pendingIdleMs: 60_000 });
    survivor.receive(decodingReceiver(() => {}));
    const names = await eventually(async () => {
      const consumers = (await admin.xinfo('CONSUMERS', stream, 'workers')) as unknown[][];
      const listed = consumers.map((flat) => String(flat[flat.indexOf('name') + 1]));
      return listed.includes('gone') ? undefined : listed;
    }, 'the idle consumer to be forgotten');
    expect(names).toContain('holding');
  });

  it('refuses bad configuration, a second receiver, and use after close, with typed errors', async () => {
    expect(() => new RedisStreamsTransport({ connection: redisUrl, batchSize: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new RedisStreamsTransport({ connection: redisUrl, maxRetries: -1 })).toThrow(/maxRetries/);
    const closing = transport('closed');
    const stop = closing.receive(decodingReceiver(() => {}));
    expect(() => closing.receive(decodingReceiver(() => {}))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    stop();
    await closing.close();
    await expect(closing.send([placed(1)])).rejects.toSatisfy((error) => isEventwireError(error, 'TRANSPORT_CLOSED'));
    expect(() => closing.receive(decodingReceiver(() => {}))).toThrow(expect.objectContaining({ code: 'TRANSPORT_CLOSED' }));
    expect(OrderPlaced.type).toBe('OrderPlaced');
  });
});
