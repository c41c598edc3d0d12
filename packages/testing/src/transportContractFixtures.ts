import {
  connect,
  defineEvent,
  EventRegistry,
  InMemoryEventBus,
  type AnyEvent,
  type BatchOutcome,
  type Connection,
  type ConnectOptions,
  type InspectionRecord,
  type StandardSchemaV1,
  type Transport,
} from '@eventwire/core';

/** The payload of the contract's events: who published, and a per-publisher sequence number. */
export interface PingData {
  readonly from: string;
  readonly seq: number;
}

// A hand-written Standard Schema, so the contract needs no schema library.
const pingSchema: StandardSchemaV1<PingData> = {
  '~standard': {
    version: 1,
    vendor: 'eventwire-testing',
    validate(value) {
      const candidate = value as Partial<PingData> | null;
      if (typeof candidate !== 'object' || candidate === null) return { issues: [{ message: 'expected an object' }] };
      if (typeof candidate.from !== 'string') return { issues: [{ message: 'expected a string', path: ['from'] }] };
      if (!Number.isSafeInteger(candidate.seq) || (candidate.seq as number) < 0) {
        return { issues: [{ message: 'expected a non-negative integer', path: ['seq'] }] };
      }
      return { value: { from: candidate.from, seq: candidate.seq as number } };
    },
  },
};

/** The event type every contract test sends. */
export const ContractPing = defineEvent('ContractPing', pingSchema, { aggregateType: 'Contract' });
/** A second type, for the filter test. */
export const ContractNoise = defineEvent('ContractNoise', pingSchema, { aggregateType: 'Contract' });

/** A fresh registry with the contract's types. */
export function contractRegistry(): EventRegistry {
  return new EventRegistry([ContractPing, ContractNoise]);
}

let nameSeq = 0;

/** A name no other test uses: for channels, streams, subjects, databases. */
export function uniqueName(prefix = 'eventwire'): string {
  return `${prefix}-${Date.now().toString(36)}-${(++nameSeq).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A bus joined to one endpoint, with everything the contract observes about it. */
export interface ContractPeer {
  readonly label: string;
  readonly bus: InMemoryEventBus;
  readonly transport: Transport;
  readonly connection: Connection;
  /** Every event dispatched on the bus, local or remote, in dispatch order. */
  readonly seen: AnyEvent[];
  /** The outcomes the connection returned to the transport. */
  readonly outcomes: BatchOutcome[];
  /** The bus's inspection records. */
  readonly records: InspectionRecord[];
}

/**
 * Joins a fresh bus to `transport`, recording what the bus dispatches, what the connection
 * tells the transport, and the inspection stream.
 */
export function joinPeer(label: string, transport: Transport, options: Partial<ConnectOptions> = {}): ContractPeer {
  const bus = new InMemoryEventBus({ name: label, onHandlerError: () => {} });
  const seen: AnyEvent[] = [];
  const records: InspectionRecord[] = [];
  const outcomes: BatchOutcome[] = [];
  bus.inspect((record) => void records.push(record));
  bus.subscribeToAllEvents((event) => void seen.push(event), { name: 'contract-recorder' });
  const spied = recordOutcomes(transport, outcomes);
  const connection = connect(bus, spied, { registry: contractRegistry(), ...options });
  return { label, bus, transport, connection, seen, outcomes, records };
}

/** Wraps a transport so that every outcome its receiver returns is recorded. */
export function recordOutcomes(transport: Transport, outcomes: BatchOutcome[]): Transport {
  return {
    name: transport.name,
    send: (events) => transport.send(events),
    receive: (handler) =>
      transport.receive(async (batch) => {
        const outcome = await handler(batch);
        outcomes.push(outcome);
        return outcome;
      }),
    close: () => transport.close(),
  };
}

/** Pings published on a bus by `from`, in order. */
export function pings(from: string, count: number, start = 0): AnyEvent[] {
  return Array.from({ length: count }, (_, i) => ContractPing.create({ from, seq: start + i }));
}

/** How many times each event id occurs in `events`. */
export function countById(events: readonly AnyEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
  return counts;
}

/** The sequence numbers of the pings from `from`, in the order they were seen. */
export function sequenceFrom(events: readonly AnyEvent[], from: string): number[] {
  return events.filter((event) => ContractPing.is(event) && event.data.from === from).map((event) => (event.data as PingData).seq);
}

/**
 * Payloads a hostile or broken peer could send: each is JSON-safe, so any transport can carry
 * it, and each must be rejected by `connect`.
 */
export function forgedPayloads(): unknown[] {
  const valid = ContractPing.create({ from: 'forger', seq: 0 });
  const envelope = { id: valid.id, type: valid.type, occurredAt: valid.occurredAt, aggregateType: 'Contract' };
  return [
    null,
    42,
    'ContractPing',
    true,
    [],
    [valid],
    {},
    { id: 'forged-1' },
    { ...envelope, id: 'forged-2', type: 'NotRegistered', data: { from: 'x', seq: 1 } },
    { ...envelope, id: 'forged-3', data: { from: 'x', seq: -1 } },
    { ...envelope, id: 'forged-4', data: { from: 7, seq: 1 } },
    { ...envelope, id: 'forged-5' },
    { ...envelope, id: 'forged-6', occurredAt: 'yesterday', data: { from: 'x', seq: 1 } },
    { ...envelope, id: '', data: { from: 'x', seq: 1 } },
    { ...envelope, id: 'forged-7', aggregateVersion: -3, data: { from: 'x', seq: 1 } },
    { ...envelope, id: 'forged-8', metadata: 'not an object', data: { from: 'x', seq: 1 } },
    { ...envelope, id: 'forged-9', schemaVersion: 0, data: { from: 'x', seq: 1 } },
    JSON.parse(`{"id":"forged-10","type":"ContractPing","occurredAt":"${valid.occurredAt}","data":{"from":"x","seq":1,"__proto__":{"polluted":true}}}`) as unknown,
    JSON.parse(`{"id":"forged-11","type":"ContractPing","occurredAt":"${valid.occurredAt}","data":{"from":"x","seq":1},"constructor":{"prototype":{"polluted":true}}}`) as unknown,
    { ...envelope, id: 'forged-12', type: 42, data: { from: 'x', seq: 1 } },
  ];
}
