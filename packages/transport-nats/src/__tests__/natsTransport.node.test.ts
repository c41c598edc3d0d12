import { isEventwireError, type AnyEvent } from '@eventwire/core';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nuid, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NatsJetStreamTransport, type NatsTransportOptions } from '../index.js';
import { decodingReceiver, deleteStreams, eventually, Heartbeat, natsAvailability, natsServer, OrderShipped, placed, uniqueNames, UserRegistered } from './natsHarness.js';

const availability = await natsAvailability();

describe.skipIf(!availability.ok)('NatsJetStreamTransport on a real nats-server', () => {
  let connection: NatsConnection;
  const streams: string[] = [];
  const transports: NatsJetStreamTransport[] = [];

  beforeAll(async () => {
    connection = await connect({ servers: natsServer });
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((transport) => transport.close()));
    await deleteStreams(connection, streams.splice(0));
  });
  afterAll(async () => {
    await connection.close();
  });

  function transport(options: Partial<NatsTransportOptions> & { stream: string; subjectPrefix: string }): NatsJetStreamTransport {
    const created = new NatsJetStreamTransport({ connection, storage: 'memory', retryDelayMs: 20, ...options });
    for (const name of [created.config.stream, created.config.deadLetterStream]) if (!streams.includes(name)) streams.push(name);
    transports.push(created);
    return created;
  }

  it('publishes CloudEvents JSON on <prefix>.<aggregateType>.<type> with Nats-Msg-Id, and a durable consumer receives them', async () => {
    const names = uniqueNames('roundtrip');
    const publisher = transport(names);
    const consumer = transport(names);
    const seen: AnyEvent[] = [];
    consumer.receive(decodingReceiver((event) => void seen.push(event)));
    const events = [placed(1), placed(2), OrderShipped.create({ orderId: 'o-1' })];
    await publisher.send(events);
    await eventually(() => (seen.length === 3 ? true : undefined), '3 events');
    expect(seen).toEqual(events);

    const jsm = await jetstreamManager(connection);
    const stored = (await jsm.streams.getMessage(names.stream, { seq: 1 }))!;
    expect(stored.subject).toBe(`${names.subjectPrefix}.Order.OrderPlaced`);
    expect(stored.header.get('Nats-Msg-Id')).toBe(events[0]!.id);
    expect(stored.json()).toMatchObject({ specversion: '1.0', id: events[0]!.id, type: 'OrderPlaced', aggregatetype: 'Order', subject: 'o-1' });
    await eventually(async () => ((await consumer.getStreamInfo()).consumer?.ackPending === 0 ? true : undefined), 'acks');
    expect(consumer.getStats()).toMatchObject({ eventsConsumed: 3, eventsProcessedOk: 3, redeliveries: 0 });
  });

  it('de-duplicates a re-sent batch by event id (Nats-Msg-Id)', async () => {
    const names = uniqueNames('dedupe');
    const publisher = transport(names);
    const events = Array.from({ length: 300 }, (_, n) => placed(n));
    await publisher.send(events);
    await publisher.send(events);
    await publisher.send(events.slice(0, 50));
    expect((await publisher.getStreamInfo()).messages).toBe(300);
    expect(publisher.getStats()).toMatchObject({ eventsPublished: 300, duplicatesRefused: 350 });
  });

  it('maps routing-key patterns to subject filters: Order.*, *.UserRegistered, and types without an aggregate', async () => {
    const names = uniqueNames('patterns');
    const got = { orders: [] as string[], users: [] as string[], all: [] as string[] };
    transport({ ...names, durable: 'orders', filter: 'Order.*' }).receive(decodingReceiver((event) => void got.orders.push(event.type)));
    transport({ ...names, durable: 'users', filter: '*.UserRegistered' }).receive(decodingReceiver((event) => void got.users.push(event.type)));
    transport({ ...names, durable: 'all' }).receive(decodingReceiver((event) => void got.all.push(event.type)));
    const publisher = transport(names);
    await publisher.send([placed(1), UserRegistered.create({ name: 'Ada' }), OrderShipped.create({ orderId: 'o-1' }), Heartbeat.create({ n: 1 })]);
    await eventually(() => (got.all.length === 4 && got.orders.length === 2 && got.users.length === 1 ? true : undefined), 'filtered deliveries');
    expect(got.orders).toEqual(['OrderPlaced', 'OrderShipped']);
    expect(got.users).toEqual(['UserRegistered']);
    expect(got.all).toEqual(['OrderPlaced', 'UserRegistered', 'OrderShipped', 'Heartbeat']);
    for (const filter of ['Order.*x', 'Order.>.x', 'Order..x']) {
      expect(() => new NatsJetStreamTransport({ connection, ...names, filter })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
  });

  it('shares a durable consumer between processes (each event handled once) while other durables get every event', async () => {
    const names = uniqueNames('durables');
    const handledBy = new Map<string, string>();
    const duplicates: string[] = [];
    const record = (who: string) => decodingReceiver((event) => (handledBy.has(event.id) ? duplicates.push(event.id) : handledBy.set(event.id, who)));
    transport({ ...names, durable: 'workers', batchSize: 5 }).receive(record('w1'));
    transport({ ...names, durable: 'workers', batchSize: 5 }).receive(record('w2'));
    const audit: string[] = [];
    transport({ ...names, durable: 'audit' }).receive(decodingReceiver((event) => void audit.push(event.id)));
    const events = Array.from({ length: 200 }, (_, n) => placed(n));
    await transport(names).send(events);
    await eventually(() => (handledBy.size === 200 && audit.length === 200 ? true : undefined), 'every event in both durables');
    expect(duplicates).toEqual([]);
    expect(new Set(handledBy.values()).size).toBeGreaterThanOrEqual(1);
    expect(new Set(audit)).toEqual(new Set(events.map((event) => event.id)));
  });

  it('naks a failing event for redelivery until maxDeliver, then dead-letters it with the handler error; replay delivers it again', async () => {
    const names = uniqueNames('retries');
    const notices: unknown[] = [];
    const consumer = transport({ ...names, maxDeliver: 3, onDeadLettered: (notice) => void notices.push(notice) });
    const attempts = new Map<string, number>();
    const poison = placed(666);
    const good = placed(1);
    let healed = false;
    consumer.receive(
      decodingReceiver((event) => {
        attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
        if (event.id === poison.id && !healed) throw new Error('payment service says no');
      }),
    );
    await consumer.send([poison, good]);
    const [letter] = await eventually(async () => {
      const letters = await consumer.listDeadLetters();
      return letters.length === 1 ? letters : undefined;
    }, 'the dead letter');
    expect(attempts.get(poison.id)).toBe(3);
    expect(attempts.get(good.id)).toBe(1);
    expect(letter).toMatchObject({ eventId: poison.id, deliveries: 3, consumer: 'eventwire', subject: `${names.subjectPrefix}.Order.OrderPlaced`, reason: { message: 'payment service says no' } });
    expect(JSON.parse(letter!.body).id).toBe(poison.id);
    expect(consumer.getStats()).toMatchObject({ messagesSentToDeadLetter: 1, handlerErrors: 3, redeliveries: 2, eventsProcessedOk: 1 });
    expect(notices).toEqual([{ eventId: poison.id, consumer: 'eventwire', attempts: 3, reason: expect.objectContaining({ message: 'payment service says no' }) }]);

    healed = true;
    await consumer.replayDeadLetter(letter!.seq);
    await eventually(() => (attempts.get(poison.id) === 4 ? true : undefined), 'the replayed event');
    expect(await consumer.listDeadLetters()).toEqual([]);
    await expect(consumer.replayDeadLetter(letter!.seq)).rejects.toSatisfy((error) => isEventwireError(error, 'DEAD_LETTER_NOT_FOUND'));
  });

  it('redelivers what a stalled consumer never acked to another member of the durable, after ack_wait', async () => {
    const names = uniqueNames('stalled');
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let stalledGot = 0;
    const stalled = transport({ ...names, ackWaitMs: 1_000, maxDeliver: 5, batchSize: 1 });
    stalled.receive(async (batch) => {
      stalledGot += batch.payloads.length;
      await stuck; // a consumer that hangs in its handler: never acks
      return { handled: [], failed: [], rejected: [] };
    });
    const event = placed(9);
    await stalled.send([event]);
    await eventually(() => (stalledGot === 1 ? true : undefined), 'the stalled consumer to take the event');
    const rescued: string[] = [];
    const rescuer = transport({ ...names, ackWaitMs: 1_000, maxDeliver: 5 });
    rescuer.receive(decodingReceiver((received) => void rescued.push(received.id)));
    await eventually(() => (rescued.length === 1 ? true : undefined), 'the redelivery');
    expect(rescued).toEqual([event.id]);
    expect(rescuer.getStats()).toMatchObject({ redeliveries: 1, eventsProcessedOk: 1 });
    expect(stalledGot).toBe(1);
    release();
  });

  it('dead-letters messages that the server gave up on after consumers died holding them (max-deliveries advisory)', async () => {
    const names = uniqueNames('advisory');
    let release: () => void = () => {};
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const hanging = transport({ ...names, ackWaitMs: 1_000, maxDeliver: 2 });
    hanging.receive(async () => {
      await stuck;
      return { handled: [], failed: [], rejected: [] };
    });
    const event = placed(13);
    await hanging.send([event]);
    const [letter] = await eventually(async () => {
      const letters = await hanging.listDeadLetters();
      return letters.length === 1 ? letters : undefined;
    }, 'the advisory dead letter');
    expect(letter).toMatchObject({ eventId: event.id, deliveries: 2, reason: { code: 'MESSAGE_REJECTED' } });
    expect(letter!.reason.message).toMatch(/without being acknowledged/);
    release();
  });

  it('dead-letters garbage and forged messages published straight to the subjects, with the reason, and keeps consuming', async () => {
    const names = uniqueNames('garbage');
    const consumer = transport(names);
    const handled: AnyEvent[] = [];
    consumer.receive(decodingReceiver((event) => void handled.push(event)));
    await consumer.ready();
    const js = jetstream(connection);
    const subject = `${names.subjectPrefix}.Order.OrderPlaced`;
    const cloudEvent = (overrides: Record<string, unknown>) => JSON.stringify({ specversion: '1.0', id: nuid.next(), source: 'urn:test', type: 'OrderPlaced', aggregatetype: 'Order', time: new Date().toISOString(), data: { orderId: 'o', amount: 1 }, ...overrides });
    await js.publish(subject, '{not json');
    await js.publish(subject, new Uint8Array([0xff, 0xfe, 0x7b]));
    await js.publish(subject, cloudEvent({ specversion: '0.3' }));
    await js.publish(subject, cloudEvent({ type: 'UserRegistered', aggregatetype: 'User', data: { name: 'Mallory' } }));
    await js.publish(`${names.subjectPrefix}.Admin.AdminGranted`, cloudEvent({ type: 'AdminGranted', aggregatetype: 'Admin' }));
    await js.publish(subject, cloudEvent({ data: { orderId: 42 } }));
    await js.publish(subject, cloudEvent({}).replace('"data":{', '"data":{"__proto__":{"admin":true},'));
    const good = placed(7);
    await consumer.send([good]);
    await eventually(() => (handled.length === 1 ? true : undefined), 'the good event after the garbage');
    const letters = await eventually(async () => {
      const list = await consumer.listDeadLetters();
      return list.length === 7 ? list : undefined;
    }, '7 dead letters');
    expect(handled.map((event) => event.id)).toEqual([good.id]);
    expect(letters.map((letter) => letter.reason.code)).toEqual(['INVALID_EVENT', 'INVALID_EVENT', 'INVALID_EVENT', 'INVALID_EVENT', 'UNKNOWN_EVENT_TYPE', 'SCHEMA_VALIDATION_FAILED', 'FORBIDDEN_KEY']);
    expect(letters[0]!.reason.message).toMatch(/not valid UTF-8 JSON/);
    expect(letters[0]!.body).toBe('{not json');
    expect(letters[1]!.reason.message).toMatch(/UTF-8/);
    expect(letters[2]!.reason.message).toMatch(/specversion/);
    expect(letters[3]!.reason.message).toMatch(/content belongs on ".*\.User\.UserRegistered"/);
    expect(letters.every((letter) => letter.deliveries === 1)).toBe(true);
    expect(consumer.getStats()).toMatchObject({ messagesSentToDeadLetter: 7, eventsProcessedOk: 1 });
  });

  it('recreates its stream and durable consumer when they vanish (deleted, or lost by a restarted server)', async () => {
    const names = uniqueNames('vanish');
    const errors: unknown[] = [];
    const consumer = transport({ ...names, pullExpiresMs: 1_000, onError: (error) => void errors.push(error) });
    const seen: string[] = [];
    consumer.receive(decodingReceiver((event) => void seen.push(event.id)));
    const first = placed(1);
    await consumer.send([first]);
    await eventually(() => (seen.length === 1 ? true : undefined), 'the first event');
    const jsm = await jetstreamManager(connection);
    await jsm.streams.delete(names.stream);
    const second = placed(2);
    await consumer.send([second]); // finds no stream, creates it again, re-sends
    await eventually(() => (seen.length === 2 ? true : undefined), 'the event after the stream came back');
    expect(seen).toEqual([first.id, second.id]);
    expect(errors.length).toBeGreaterThanOrEqual(1);
  });

  it('starts a new durable at new messages with startFrom: new', async () => {
    const names = uniqueNames('fromnew');
    const publisher = transport(names);
    await publisher.send([placed(1), placed(2)]);
    const late = transport({ ...names, durable: 'late', startFrom: 'new' });
    const seen: string[] = [];
    late.receive(decodingReceiver((event) => void seen.push(event.id)));
    await late.ready();
    const fresh = placed(3);
    await publisher.send([fresh]);
    await eventually(() => (seen.length === 1 ? true : undefined), 'the new event');
    expect(seen).toEqual([fresh.id]);
    expect((await late.getStreamInfo()).messages).toBe(3);
  });

  it('refuses bad configuration, a second receiver, and use after close, with typed errors', async () => {
    const names = uniqueNames('config');
    expect(() => new NatsJetStreamTransport({ connection, stream: 'has.dot' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new NatsJetStreamTransport({ connection, maxDeliver: 0 })).toThrow(/maxDeliver/);
    expect(() => new NatsJetStreamTransport({ connection, subjectPrefix: 'a.*' })).toThrow(/subjectPrefix/);
    const closing = transport(names);
    const stop = closing.receive(decodingReceiver(() => {}));
    expect(() => closing.receive(decodingReceiver(() => {}))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    stop();
    await closing.close();
    await expect(closing.send([placed(1)])).rejects.toSatisfy((error) => isEventwireError(error, 'TRANSPORT_CLOSED'));
    expect(connection.isClosed()).toBe(false);
  });

  it('runs on this Node (20) although @nats-io/nuid declares node >= 22: ids come from crypto.getRandomValues', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
    const ids = new Set(Array.from({ length: 10_000 }, () => nuid.next()));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 10)) expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(typeof globalThis.crypto.getRandomValues).toBe('function');
  });
});
