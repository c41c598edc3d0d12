/** What tabs tell each other after a commit. */
interface AppendedMessage {
  readonly type: 'appended';
  readonly lastPosition: number;
}

/**
 * Wakes the followers of a store when events are appended: by this store directly, and by other
 * tabs and workers of the same origin over a BroadcastChannel named after the database. Where
 * BroadcastChannel does not exist, only local appends wake followers.
 * @internal
 */
export class AppendSignal {
  readonly #listeners = new Set<() => void>();
  readonly #channel: BroadcastChannel | undefined;

  constructor(databaseName: string) {
    this.#channel = openChannel(`eventwire-idb:${databaseName}`);
    this.#channel?.addEventListener('message', (message: MessageEvent<unknown>) => {
      if (isAppended(message.data)) this.#wake();
    });
    // Node keeps a process alive while a channel is open; a store must not.
    (this.#channel as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Runs `listener` after every append, local or remote; returns its removal. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells local followers and other tabs that events up to `lastPosition` are stored. */
  appended(lastPosition: number): void {
    this.#wake();
    const message: AppendedMessage = { type: 'appended', lastPosition };
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel: other tabs will see the events on their next read.
    }
  }

  close(): void {
    this.#listeners.clear();
    this.#channel?.close();
  }

  #wake(): void {
    for (const listener of this.#listeners) listener();
  }
}

function openChannel(name: string): BroadcastChannel | undefined {
  try {
    return new BroadcastChannel(name);
  } catch {
    return undefined;
  }
}

function isAppended(data: unknown): data is AppendedMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'appended';
}
