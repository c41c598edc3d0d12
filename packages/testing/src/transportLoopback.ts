import { EventwireError, type AnyEvent, type BatchOutcome, type IncomingBatch, type PeerInfo, type Transport, type Unsubscribe } from '@eventwire/core';

/** Options of {@link createLoopbackTransports}. */
export interface LoopbackOptions {
  /**
   * A name shared by the endpoints, shown as the transport name.
   * @default 'loopback'
   */
  name?: string;
  /**
   * Deliver each batch to its sender too, as some brokers do: `connect` must drop the echo.
   * @default false
   */
  echo?: boolean;
}

/** In-memory endpoints that reach each other, and a way to play a hostile peer. */
export interface LoopbackNetwork {
  readonly endpoints: readonly Transport[];
  /** Delivers raw values to every open endpoint but `from`, as if a peer had sent them. */
  inject(values: readonly unknown[], from?: number): Promise<void>;
  /** Batches sent so far, by all endpoints. */
  readonly sentBatches: number;
}

// Typed here: the package compiles without DOM or Node typings, and every runtime has it.
const { structuredClone } = globalThis as unknown as { structuredClone<T>(value: T): T };

interface Endpoint {
  readonly index: number;
  readonly peer: PeerInfo;
  receiver: ((batch: IncomingBatch) => Promise<BatchOutcome>) | undefined;
  closed: boolean;
}

/**
 * Makes `count` transports joined in memory: what one sends, every other receives, in order,
 * asynchronously and as structured clones (like BroadcastChannel). The reference transport of
 * the transport contract suite, and a quick way to test `connect` without a browser or broker.
 *
 * @param count how many endpoints
 * @param options the shared name, and whether senders hear themselves
 * @returns the endpoints, and `inject` to send forged input
 *
 * @example
 * ```ts
 * const { endpoints: [a, b] } = createLoopbackTransports(2);
 * connect(busA, a!, { registry });
 * connect(busB, b!, { registry });
 * await busA.publish(OrderPlaced.create({ customerName: 'Alice', totalAmount: 1 })); // busB gets it
 * ```
 */
export function createLoopbackTransports(count = 2, options: LoopbackOptions = {}): LoopbackNetwork {
  const name = options.name ?? 'loopback';
  const echo = options.echo ?? false;
  const endpoints: Endpoint[] = [];
  let sentBatches = 0;

  const deliver = (payloads: readonly unknown[], from: Endpoint | undefined, includeSender: boolean): void => {
    for (const target of endpoints) {
      if (target.closed || (target === from && !includeSender)) continue;
      const batch: IncomingBatch = from === undefined ? { payloads: [...payloads] } : { payloads: structuredClone(payloads), from: from.peer };
      // Microtasks run in order, so batches keep the order they were sent in.
      void Promise.resolve().then(() => {
        if (!target.closed) void target.receiver?.(batch);
      });
    }
  };

  const makeTransport = (endpoint: Endpoint): Transport => ({
    name,
    send(events: readonly AnyEvent[]): Promise<void> {
      if (endpoint.closed) return Promise.reject(new EventwireError('TRANSPORT_CLOSED', `${name} endpoint ${endpoint.index} is closed`));
      sentBatches++;
      try {
        deliver(events, endpoint, echo);
      } catch (error) {
        return Promise.reject(new EventwireError('TRANSPORT_FAILED', `${name} could not clone the batch`, { cause: error }));
      }
      return Promise.resolve();
    },
    receive(handler): Unsubscribe {
      endpoint.receiver = handler;
      return () => {
        if (endpoint.receiver === handler) endpoint.receiver = undefined;
      };
    },
    close(): Promise<void> {
      endpoint.closed = true;
      endpoint.receiver = undefined;
      return Promise.resolve();
    },
  });

  const transports: Transport[] = [];
  for (let index = 0; index < count; index++) {
    const endpoint: Endpoint = { index, peer: { id: `${name}-${index}`, kind: 'loopback' }, receiver: undefined, closed: false };
    endpoints.push(endpoint);
    transports.push(makeTransport(endpoint));
  }

  return {
    endpoints: transports,
    inject(values, from) {
      // Values are passed as they are (not cloned): forged input may be anything at all.
      deliver(values, from === undefined ? undefined : endpoints[from], false);
      return Promise.resolve();
    },
    get sentBatches() {
      return sentBatches;
    },
  };
}
