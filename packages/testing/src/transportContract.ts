import { isEventwireError, type AnyEvent, type BatchOutcome, type IncomingBatch, type RejectedRecord, type Transport } from '@eventwire/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ContractNoise,
  ContractPing,
  contractRegistry,
  countById,
  forgedPayloads,
  joinPeer,
  pings,
  sequenceFrom,
  uniqueName,
  type ContractPeer,
} from './transportContractFixtures.js';

/** What a transport's factory gives the contract suite. */
export interface TransportContractSetup {
  /**
   * Exactly `count` endpoints, all joined: what one sends, every other one receives. An
   * endpoint may also receive its own batches (some brokers do): `connect` drops the echo.
   */
  readonly endpoints: readonly Transport[];
  /**
   * Delivers raw values to endpoint 1 as a hostile peer would, bypassing whatever `send`
   * does to events. Without it the suite calls `endpoints[0].send(values)`.
   */
  readonly injectRaw?: (values: readonly unknown[]) => Promise<void>;
  /** Frees what the factory made (channels, connections, streams). Endpoints are closed already. */
  readonly dispose?: () => Promise<void>;
}

/** Makes joined endpoints; `name` is unique per test, for channel names or stream prefixes. */
export type TransportContractFactory = (context: { readonly name: string; readonly count: number }) => Promise<TransportContractSetup> | TransportContractSetup;

/** Options of {@link testTransportContract}. */
export interface TransportContractOptions {
  /**
   * How long to wait for a delivery before failing. Generous: the suite asserts outcomes, not
   * speed.
   * @default 10000
   */
  timeoutMs?: number;
}

/**
 * The behaviour every transport must have, alone and under `connect`: batches reach every other
 * endpoint in order; connected buses see every event exactly once, in per-publisher order, with
 * no echoes; bursts are batched; duplicates are dropped; forged input is rejected and reported
 * without harm; a failing handler is reported as failed; closing stops everything cleanly.
 *
 * @param name the transport's name, shown in the test titles
 * @param factory makes `count` joined endpoints for one test
 *
 * @example
 * ```ts
 * // packages/transport-x/src/__tests__/contract.test.ts
 * import { testTransportContract } from '@eventwire/testing';
 * testTransportContract('x', ({ name, count }) => ({ endpoints: Array.from({ length: count }, () => createX({ name })) }));
 * ```
 */
export function testTransportContract(name: string, factory: TransportContractFactory, options: TransportContractOptions = {}): void {
  const timeout = options.timeoutMs ?? 10_000;
  const testTimeout = timeout * 3;
  const waitFor = (assertion: () => void): Promise<void> => vi.waitFor(assertion, { timeout, interval: 5 });

  describe(`transport contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function open(count: number): Promise<TransportContractSetup> {
      const setup = await factory({ name: uniqueName(name.replace(/[^a-z0-9]+/gi, '-')), count });
      expect(setup.endpoints).toHaveLength(count);
      cleanups.push(async () => {
        await Promise.all(setup.endpoints.map((endpoint) => endpoint.close()));
        await setup.dispose?.();
      });
      return setup;
    }

    async function openPeers(count: number): Promise<{ setup: TransportContractSetup; peers: ContractPeer[] }> {
      const setup = await open(count);
      const peers = setup.endpoints.map((transport, i) => joinPeer(`peer-${i}`, transport));
      cleanups.push(async () => {
        await Promise.all(peers.map((peer) => peer.connection.close()));
      });
      return { setup, peers };
    }

    /**
     * Each peer publishes a marker and waits until every peer has every marker. A transport
     * keeps each sender's order, so whatever a peer sent before its marker has arrived too.
     */
    async function barrier(peers: readonly ContractPeer[]): Promise<void> {
      const markers = peers.map((peer) => ContractNoise.create({ from: peer.label, seq: 0 }));
      await Promise.all(peers.map((peer, i) => peer.bus.publish(markers[i]!)));
      await waitFor(() => {
        for (const peer of peers) {
          const ids = new Set(peer.seen.map((event) => event.id));
          for (const marker of markers) expect(ids.has(marker.id), `${peer.label} has ${marker.data.from}'s marker`).toBe(true);
        }
      });
    }

    it('delivers a batch to every other endpoint, in order', async () => {
      const setup = await open(3);
      const received: unknown[][] = [[], [], []];
      setup.endpoints.forEach((endpoint, i) => endpoint.receive((batch) => acceptAll(batch, received[i]!)));
      const sent = pings('endpoint-0', 5);
      await setup.endpoints[0]!.send(sent.slice(0, 2));
      await setup.endpoints[0]!.send(sent.slice(2));
      const registry = contractRegistry();
      for (const i of [1, 2]) {
        await waitFor(() => expect(received[i]).toHaveLength(sent.length));
        expect(received[i]!.map((payload) => registry.decode(payload).id)).toEqual(sent.map((event) => event.id));
      }
    }, testTimeout);

    it('connected buses: every event reaches every bus exactly once, in per-publisher order, never echoed', async () => {
      const { peers } = await openPeers(3);
      const perPeer = 60;
      await Promise.all(
        peers.map(async (peer) => {
          const events = pings(peer.label, perPeer);
          // A mix of one-by-one publishes, a synchronous burst and a batch publish.
          for (const event of events.slice(0, 20)) await peer.bus.publish(event);
          peer.bus.publishSync(events.slice(20, 40));
          await peer.bus.publish(events.slice(40));
        }),
      );
      await waitFor(() => {
        for (const peer of peers) expect(peer.seen.filter((event) => ContractPing.is(event))).toHaveLength(perPeer * peers.length);
      });
      await barrier(peers);
      for (const peer of peers) {
        for (const [id, count] of countById(peer.seen)) expect(count, `${peer.label} saw ${id} once`).toBe(1);
        for (const publisher of peers) {
          expect(sequenceFrom(peer.seen, publisher.label), `${peer.label} got ${publisher.label}'s events in order`).toEqual(
            Array.from({ length: perPeer }, (_, i) => i),
          );
        }
        // Never echoed: a peer sends its own events (and its barrier marker), nothing it received.
        expect(peer.connection.stats.sent).toBe(perPeer + 1);
        expect(peer.connection.stats.received).toBe((perPeer + 1) * (peers.length - 1));
        expect(peer.connection.stats.rejected).toBe(0);
      }
    }, testTimeout);

    it('batches a burst: 1,000 events published in one tick cost few sends', async () => {
      const { peers } = await openPeers(2);
      const [sender, receiver] = peers as [ContractPeer, ContractPeer];
      const events = pings(sender.label, 1000);
      for (let i = 0; i < events.length; i += 100) sender.bus.publishSync(events.slice(i, i + 100));
      await sender.connection.flush();
      await waitFor(() => expect(receiver.seen).toHaveLength(1000));
      expect(sender.connection.stats.sent).toBe(1000);
      expect(sender.connection.stats.sentBatches).toBeLessThanOrEqual(2);
      expect(sequenceFrom(receiver.seen, sender.label)).toEqual(events.map((_, i) => i));
    }, testTimeout);

    it('drops redelivered events by id', async () => {
      const setup = await open(2);
      const receiver = joinPeer('receiver', setup.endpoints[1]!);
      cleanups.push(() => receiver.connection.close());
      const [first, second] = pings('redeliverer', 2) as [AnyEvent, AnyEvent];
      await setup.endpoints[0]!.send([first, first]);
      await setup.endpoints[0]!.send([first, second]);
      await waitFor(() => expect(receiver.seen.map((event) => event.id)).toEqual([first.id, second.id]));
      await waitFor(() => expect(receiver.outcomes).toHaveLength(2));
      expect(receiver.connection.stats.duplicates).toBe(2);
      expect(receiver.outcomes.map((outcome) => [...outcome.handled].sort())).toEqual([
        [0, 1],
        [0, 1],
      ]);
    }, testTimeout);

    it('rejects forged and malformed payloads, reports them, and keeps working', async () => {
      const setup = await open(2);
      const sender = joinPeer('honest', setup.endpoints[0]!);
      const receiver = joinPeer('target', setup.endpoints[1]!);
      cleanups.push(() => Promise.all([sender.connection.close(), receiver.connection.close()]).then(() => undefined));
      const forged = forgedPayloads();
      const inject = setup.injectRaw ?? ((values: readonly unknown[]) => setup.endpoints[0]!.send(values as AnyEvent[]));
      await inject(forged);
      const after = ContractPing.create({ from: 'honest', seq: 1 });
      await sender.bus.publish(after);
      // The forged input and the honest event may come from different senders: wait for both.
      await waitFor(() => expect(receiver.seen.map((event) => event.id)).toContain(after.id));
      await waitFor(() => expect(receiver.connection.stats.rejected).toBe(forged.length));
      expect(receiver.seen.map((event) => event.id)).toEqual([after.id]);
      const rejectedRecords = receiver.records.filter((record): record is RejectedRecord => record.type === 'rejected');
      expect(rejectedRecords).toHaveLength(forged.length);
      for (const record of rejectedRecords) {
        expect(record.source).toBe(setup.endpoints[1]!.name);
        expect(isEventwireError(record.error)).toBe(true);
      }
      const rejectedIndices = receiver.outcomes.flatMap((outcome) => outcome.rejected.map((problem) => problem.index));
      expect(rejectedIndices).toHaveLength(forged.length);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }, testTimeout);

    it('reports a failing handler as failed, and handles a redelivery of it again', async () => {
      const setup = await open(2);
      const receiver = joinPeer('receiver', setup.endpoints[1]!);
      cleanups.push(() => receiver.connection.close());
      let calls = 0;
      receiver.bus.subscribe(ContractPing, () => {
        calls++;
        if (calls === 1) throw new Error('first attempt fails');
      });
      const [event] = pings('sender', 1) as [AnyEvent];
      await setup.endpoints[0]!.send([event]);
      await waitFor(() => expect(receiver.outcomes).toHaveLength(1));
      expect(receiver.outcomes[0]!.failed.map((problem) => problem.index)).toEqual([0]);
      expect(receiver.outcomes[0]!.failed[0]!.error.message).toContain('first attempt fails');
      await setup.endpoints[0]!.send([event]);
      await waitFor(() => expect(receiver.outcomes).toHaveLength(2));
      expect(receiver.outcomes[1]!.handled).toEqual([0]);
      expect(calls).toBe(2);
      expect(receiver.connection.stats.failed).toBe(1);
    }, testTimeout);

    it('keeps filtered events from crossing, both ways', async () => {
      const setup = await open(2);
      const onlyPings = { filter: (event: AnyEvent) => ContractPing.is(event) };
      const sender = joinPeer('sender', setup.endpoints[0]!, onlyPings);
      const receiver = joinPeer('receiver', setup.endpoints[1]!, onlyPings);
      cleanups.push(() => Promise.all([sender.connection.close(), receiver.connection.close()]).then(() => undefined));
      await sender.bus.publish([ContractNoise.create({ from: 'sender', seq: 0 }), ContractPing.create({ from: 'sender', seq: 0 })]);
      await setup.endpoints[0]!.send([ContractNoise.create({ from: 'raw', seq: 1 }), ContractPing.create({ from: 'raw', seq: 1 })]);
      await waitFor(() => expect(receiver.seen).toHaveLength(2));
      expect(receiver.seen.every((event) => ContractPing.is(event))).toBe(true);
      // Out: the sender sent its ping and kept its noise. In: the receiver dropped the raw noise.
      expect(sender.connection.stats.sent).toBe(1);
      expect(sender.connection.stats.filtered).toBeGreaterThanOrEqual(1);
      expect(receiver.connection.stats.filtered).toBe(1);
    }, testTimeout);

    it('close: a closed endpoint refuses to send and receives nothing; the others go on', async () => {
      const setup = await open(3);
      const received: unknown[][] = [[], [], []];
      setup.endpoints.forEach((endpoint, i) => endpoint.receive((batch) => acceptAll(batch, received[i]!)));
      await setup.endpoints[1]!.close();
      await setup.endpoints[1]!.close();
      await expect(setup.endpoints[1]!.send(pings('closed', 1))).rejects.toSatisfy((error) => isEventwireError(error, 'TRANSPORT_CLOSED'));
      const sent = pings('endpoint-0', 3);
      await setup.endpoints[0]!.send(sent);
      await waitFor(() => expect(received[2]).toHaveLength(3));
      expect(received[1]).toEqual([]);
    }, testTimeout);

    it('connection.close sends what is queued, then stops relaying both ways', async () => {
      const { peers } = await openPeers(2);
      const [sender, receiver] = peers as [ContractPeer, ContractPeer];
      const queued = pings(sender.label, 10);
      sender.bus.publishSync(queued);
      await receiver.connection.close();
      await sender.connection.close();
      expect(sender.connection.stats.sent).toBe(10);
      sender.bus.publishSync(pings(sender.label, 1, 10));
      expect(sender.connection.stats.sent).toBe(10);
      expect(sender.bus.getWildcardSubscriberCount()).toBe(1);
      expect(receiver.bus.getWildcardSubscriberCount()).toBe(1);
    }, testTimeout);
  });
}

function acceptAll(batch: IncomingBatch, into: unknown[]): Promise<BatchOutcome> {
  into.push(...batch.payloads);
  return Promise.resolve({ handled: batch.payloads.map((_, i) => i), failed: [], rejected: [] });
}
