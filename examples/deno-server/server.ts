// A Deno server that spreads its events across isolates the way Deno Deploy does: requests are
// handled by whichever isolate gets them, and BroadcastChannel carries each event to the others.
import type { IsolateRequest, IsolateResponse, OrdersSummary } from './orders.js';

/** The bits of the Deno namespace the example uses (so it type-checks without Deno's typings). */
declare const Deno: {
  serve(options: { hostname: string; port: number; onListen?: () => void }, handler: (request: Request) => Response | Promise<Response>): {
    readonly addr: { readonly port: number };
    shutdown(): Promise<void>;
  };
};

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A worker that answers requests by id. */
class Isolate {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (response: IsolateResponse) => void>();
  #next = 0;
  /** Resolves when the isolate has joined the channel (its message with id 0). */
  readonly ready: Promise<void>;

  constructor(app: string, readonly name: string) {
    this.#worker = new Worker(new URL('./isolate.ts', import.meta.url).href, { type: 'module', name: `${app}/${name}` });
    this.ready = new Promise((resolve) => this.#pending.set(0, () => resolve()));
    this.#worker.onmessage = ({ data }: MessageEvent<IsolateResponse>) => this.#pending.get(data.id)?.(data);
  }

  ask(request: WithoutId<IsolateRequest>): Promise<unknown> {
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (response) => {
        this.#pending.delete(id);
        if (response.error !== undefined) reject(new Error(response.error));
        else resolve(response.result);
      });
      this.#worker.postMessage({ ...request, id });
    });
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

/** A running server: its URL and how to stop it. */
export interface OrdersServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the server with two isolates, `a` and `b`, joined over the BroadcastChannel of `app`.
 * - `POST /orders?isolate=a` with `{ customerName, totalAmount }` places an order on that isolate;
 * - `GET /summary?isolate=b` answers what that isolate's bus has seen, its own and its peers'.
 *
 * @example
 * ```ts
 * const server = await startServer({ port: 8000 });
 * await fetch(`${server.url}/orders?isolate=a`, { method: 'POST', body: JSON.stringify({ customerName: 'Ada', totalAmount: 30 }) });
 * ```
 */
export async function startServer({ port = 0, app = 'deno-orders' }: { port?: number; app?: string } = {}): Promise<OrdersServer> {
  const isolates = new Map(['a', 'b'].map((name) => [name, new Isolate(app, name)]));
  // An isolate that has not joined the channel yet would miss the events published before it did.
  await Promise.all([...isolates.values()].map((isolate) => isolate.ready));
  const server = Deno.serve({ hostname: '127.0.0.1', port, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    const isolate = isolates.get(url.searchParams.get('isolate') ?? 'a');
    if (isolate === undefined) return Response.json({ error: 'isolate must be a or b' }, { status: 400 });
    if (request.method === 'POST' && url.pathname === '/orders') {
      const body = (await request.json().catch(() => ({}))) as { customerName: string; totalAmount: number };
      // The isolate validates the order against the event's schema; bad input is a 400, never a crash.
      return isolate.ask({ kind: 'place', customerName: body.customerName, totalAmount: body.totalAmount }).then(
        (placed) => Response.json(placed, { status: 201 }),
        (error: unknown) => Response.json({ error: String(error) }, { status: 400 }),
      );
    }
    if (request.method === 'GET' && url.pathname === '/summary') return Response.json((await isolate.ask({ kind: 'summary' })) as OrdersSummary);
    return Response.json({ error: 'not found' }, { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    async close() {
      for (const isolate of isolates.values()) isolate.terminate();
      await server.shutdown();
    },
  };
}

if ((import.meta as ImportMeta & { main?: boolean }).main) {
  const server = await startServer({ port: 8000 });
  console.log(`orders server on ${server.url}: POST /orders?isolate=a, GET /summary?isolate=b`);
}
