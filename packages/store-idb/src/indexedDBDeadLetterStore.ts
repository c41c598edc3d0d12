import { replayDeadLetter, reportDeadLetter, toDeadLetter } from '@eventwire/core';
import type { DeadLetter, DeadLetterFilter, DeadLetterInit, DeadLetterReplayHandler, DeadLetterStore, InspectionReporter } from '@eventwire/core';
import { deadLetterId } from '@eventwire/core';
import type { IndexedDBEventStore } from './indexedDBEventStore.js';
import { toStoreError } from './storeError.js';

/** Options of {@link IndexedDBDeadLetterStore}. */
export interface IndexedDBDeadLetterStoreOptions {
  /** Receives a `dead-lettered` record per letter added (a bus, for the devtools). */
  reporter?: InspectionReporter;
  now?: () => number;
}

/**
 * Dead letters in the event store's database: they survive reloads, and every tab sees them.
 * One letter per consumer and event id; adding it again updates it.
 *
 * @example
 * ```ts
 * const deadLetters = new IndexedDBDeadLetterStore(store, { reporter: bus });
 * for (const letter of await deadLetters.list({ consumer: 'email' })) {
 *   await deadLetters.replay(letter.id, (l) => sendEmail(l.event));
 * }
 * ```
 */
export class IndexedDBDeadLetterStore implements DeadLetterStore {
  readonly #store: IndexedDBEventStore;
  readonly #options: IndexedDBDeadLetterStoreOptions;

  constructor(store: IndexedDBEventStore, options: IndexedDBDeadLetterStoreOptions = {}) {
    this.#store = store;
    this.#options = options;
  }

  async add(init: DeadLetterInit): Promise<DeadLetter> {
    const db = await this.#store.database();
    const tx = db.transaction('deadLetters', 'readwrite');
    try {
      const existing = await tx.store.get(deadLetterId(init.consumer, init.event.id));
      const letter = toDeadLetter(init, existing, (this.#options.now ?? Date.now)());
      await tx.store.put(letter);
      await tx.done;
      reportDeadLetter(this.#options.reporter, letter);
      return letter;
    } catch (error) {
      throw toStoreError(error, 'dead letter add');
    }
  }

  async list({ consumer, limit = Infinity }: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const db = await this.#store.database();
    const letters = consumer === undefined ? await db.getAll('deadLetters') : await db.getAllFromIndex('deadLetters', 'byConsumer', consumer);
    return letters.sort((a, b) => a.firstFailedAt - b.firstFailedAt || a.id.localeCompare(b.id)).slice(0, limit);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const db = await this.#store.database();
    return db.get('deadLetters', id);
  }

  replay(id: string, handler: DeadLetterReplayHandler): Promise<void> {
    return replayDeadLetter(this, id, handler);
  }

  async discard(id: string): Promise<boolean> {
    const db = await this.#store.database();
    const tx = db.transaction('deadLetters', 'readwrite');
    const found = (await tx.store.getKey(id)) !== undefined;
    if (found) await tx.store.delete(id);
    await tx.done;
    return found;
  }
}
