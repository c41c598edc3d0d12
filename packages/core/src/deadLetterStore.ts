import { EventwireError, serializeError } from './errors.js';
import type { SerializedError } from './errors.js';
import type { AnyEvent } from './event.js';
import type { InspectionReporter } from './inspectionReporter.js';
import { reportTo } from './inspectionReporter.js';

/** An event a consumer gave up on, kept for inspection and replay. */
export interface DeadLetter {
  /** `<consumer>/<event id>`: one letter per consumer and event (idempotency by event id). */
  readonly id: string;
  readonly consumer: string;
  readonly event: AnyEvent;
  /** The last failure. */
  readonly error: SerializedError;
  /** Attempts made so far, replays included. */
  readonly attempts: number;
  /** The event's position in its store, when it came from one. */
  readonly position?: number;
  readonly firstFailedAt: number;
  readonly lastFailedAt: number;
}

/** What {@link DeadLetterStore.add} takes. */
export interface DeadLetterInit {
  readonly consumer: string;
  readonly event: AnyEvent;
  readonly error: unknown;
  readonly attempts: number;
  readonly position?: number;
}

/** Filter of {@link DeadLetterStore.list}. */
export interface DeadLetterFilter {
  consumer?: string;
  limit?: number;
}

/** Handles a dead letter again; resolving means it is handled now. */
export type DeadLetterReplayHandler = (letter: DeadLetter) => unknown;

/**
 * Where processors put the events they could not handle after their retries: list and inspect
 * them, replay one through a handler (removed when it succeeds), or discard it.
 *
 * @example
 * ```ts
 * for (const letter of await deadLetters.list({ consumer: 'email' })) {
 *   await deadLetters.replay(letter.id, (l) => sendEmail(l.event));
 * }
 * ```
 */
export interface DeadLetterStore {
  /** Stores a letter; adding one for the same consumer and event again updates it. */
  add(init: DeadLetterInit): Promise<DeadLetter>;
  /** Letters in the order they first failed. */
  list(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  get(id: string): Promise<DeadLetter | undefined>;
  /**
   * Runs `handler` on the letter. On success the letter is removed; on failure it stays with one
   * more attempt and the new error, and the error is rethrown.
   * @throws {EventwireError} `DEAD_LETTER_NOT_FOUND` when there is no such letter
   */
  replay(id: string, handler: DeadLetterReplayHandler): Promise<void>;
  /** Removes a letter; `false` when there was none. */
  discard(id: string): Promise<boolean>;
}

/**
 * The id of the dead letter of `consumer` for `eventId`.
 *
 * @example
 * ```ts
 * await deadLetters.get(deadLetterId('email', event.id));
 * ```
 */
export function deadLetterId(consumer: string, eventId: string): string {
  return `${consumer}/${eventId}`;
}

/**
 * Builds the stored form of a letter, merging it with the one already stored.
 * Shared by the dead-letter stores so that they agree.
 */
export function toDeadLetter(init: DeadLetterInit, existing: DeadLetter | undefined, now: number): DeadLetter {
  const letter: DeadLetter = {
    id: deadLetterId(init.consumer, init.event.id),
    consumer: init.consumer,
    event: init.event,
    error: serializeError(init.error),
    attempts: (existing?.attempts ?? 0) + init.attempts,
    firstFailedAt: existing?.firstFailedAt ?? now,
    lastFailedAt: now,
  };
  const position = init.position ?? existing?.position;
  return position === undefined ? letter : { ...letter, position };
}

/** The error of a replay or lookup of a letter that does not exist. */
export function deadLetterNotFound(id: string): EventwireError<'DEAD_LETTER_NOT_FOUND'> {
  return new EventwireError('DEAD_LETTER_NOT_FOUND', `No dead letter "${id}"`, { details: { id } });
}

/**
 * Reports a stored letter as `dead-lettered` to an inspection reporter (for store implementers).
 */
export function reportDeadLetter(reporter: InspectionReporter | undefined, letter: DeadLetter): void {
  reportTo(reporter, { type: 'dead-lettered', eventId: letter.event.id, consumer: letter.consumer, attempts: letter.attempts, error: letter.error });
}

/**
 * Runs a replay against any store's get/add/discard, so that every store replays alike (for
 * store implementers).
 */
export async function replayDeadLetter(store: DeadLetterStore, id: string, handler: DeadLetterReplayHandler): Promise<void> {
  const letter = await store.get(id);
  if (letter === undefined) throw deadLetterNotFound(id);
  try {
    await handler(letter);
  } catch (error) {
    const init: DeadLetterInit = { consumer: letter.consumer, event: letter.event, error, attempts: 1 };
    await store.add(letter.position === undefined ? init : { ...init, position: letter.position });
    throw error;
  }
  await store.discard(id);
}

/** Options of {@link InMemoryDeadLetterStore}. */
export interface InMemoryDeadLetterStoreOptions {
  /** Receives a `dead-lettered` record per letter added (a bus, for the devtools). */
  reporter?: InspectionReporter;
  now?: () => number;
}

/**
 * Dead letters in memory: for tests, Node and edge runtimes.
 *
 * @example
 * ```ts
 * const deadLetters = new InMemoryDeadLetterStore({ reporter: bus });
 * await deadLetters.add({ consumer: 'email', event, error, attempts: 3 });
 * ```
 */
export class InMemoryDeadLetterStore implements DeadLetterStore {
  readonly #letters = new Map<string, DeadLetter>();
  readonly #options: InMemoryDeadLetterStoreOptions;

  constructor(options: InMemoryDeadLetterStoreOptions = {}) {
    this.#options = options;
  }

  async add(init: DeadLetterInit): Promise<DeadLetter> {
    const id = deadLetterId(init.consumer, init.event.id);
    const letter = toDeadLetter(init, this.#letters.get(id), (this.#options.now ?? Date.now)());
    this.#letters.set(id, letter);
    reportDeadLetter(this.#options.reporter, letter);
    return letter;
  }

  async list({ consumer, limit = Infinity }: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const letters = [...this.#letters.values()].filter((letter) => consumer === undefined || letter.consumer === consumer);
    return letters.sort((a, b) => a.firstFailedAt - b.firstFailedAt).slice(0, limit);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    return this.#letters.get(id);
  }

  replay(id: string, handler: DeadLetterReplayHandler): Promise<void> {
    return replayDeadLetter(this, id, handler);
  }

  async discard(id: string): Promise<boolean> {
    return this.#letters.delete(id);
  }
}
