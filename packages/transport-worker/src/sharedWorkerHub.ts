import { connect, type Connection, type ConnectOptions, type EventBus } from '@eventwire/core';
import { createPortTransport, type PortLike } from './portTransport.js';

/** The part of a SharedWorker's global scope the hub uses. */
export interface SharedWorkerScopeLike {
  addEventListener(type: 'connect', listener: (event: { readonly ports: readonly PortLike[] }) => void): void;
}

/** The hub's handle: how many tabs are connected, and a way to stop. */
export interface SharedWorkerHub {
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Makes this SharedWorker the hub that all tabs connect to: each tab's port is joined to the
 * hub's bus with `connect`, so an event from one tab reaches the hub and every other tab
 * exactly once, and never goes back to where it came from. A tab that says goodbye (its
 * connection closed, see {@link connectSharedWorker}) is dropped.
 *
 * @param bus the hub's bus (handlers here see every tab's events)
 * @param options connect's options (the registry), and the scope (the worker's `self` by default)
 *
 * @example
 * ```ts
 * // hub.ts, loaded with new SharedWorker(new URL('./hub.ts', import.meta.url), { type: 'module' })
 * serveSharedWorkerHub(new InMemoryEventBus({ name: 'hub' }), { registry });
 * ```
 */
export function serveSharedWorkerHub(bus: EventBus, options: ConnectOptions & { scope?: SharedWorkerScopeLike }): SharedWorkerHub {
  const { scope = globalThis as unknown as SharedWorkerScopeLike, ...connectOptions } = options;
  const connections = new Set<Connection>();
  scope.addEventListener('connect', (event) => {
    const port = event.ports[0];
    if (port === undefined) return;
    let connection: Connection | undefined;
    const transport = createPortTransport(port, {
      name: 'shared-worker-hub',
      peer: { kind: 'shared-worker' },
      onPeerClosed: () => {
        if (connection === undefined) return;
        connections.delete(connection);
        void connection.close();
      },
    });
    connection = connect(bus, transport, connectOptions);
    connections.add(connection);
  });
  return {
    get connections() {
      return connections.size;
    },
    async close() {
      await Promise.all([...connections].map((connection) => connection.close()));
      connections.clear();
    },
  };
}

/**
 * Joins this tab's bus to a SharedWorker hub ({@link serveSharedWorkerHub}). Close the
 * connection when the page goes (`pagehide`), so that the hub drops this tab.
 *
 * @example
 * ```ts
 * const hub = new SharedWorker(new URL('./hub.ts', import.meta.url), { type: 'module' });
 * const connection = connectSharedWorker(bus, hub, { registry });
 * addEventListener('pagehide', () => void connection.close());
 * ```
 */
export function connectSharedWorker(bus: EventBus, worker: { readonly port: PortLike }, options: ConnectOptions): Connection {
  return connect(bus, createPortTransport(worker.port, { name: 'shared-worker' }), options);
}
