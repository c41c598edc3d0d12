import { EventwireError } from './errors.js';

/**
 * A set of ids that remembers at most `capacity` of them, forgetting the oldest first. Used to
 * deduplicate events by id without growing forever: a redelivery arrives soon after the
 * original, so remembering the recent past is enough.
 *
 * @example
 * ```ts
 * const seen = new BoundedIdSet(10_000);
 * if (seen.add(event.id)) handle(event); // false: seen it recently, skip
 * ```
 */
export class BoundedIdSet {
  readonly capacity: number;
  readonly #ids = new Set<string>();
  // A ring of the ids in insertion order: the slot at #next is the oldest once the ring is full.
  readonly #ring: (string | undefined)[];
  #next = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new EventwireError('INVALID_ARGUMENT', `BoundedIdSet: capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.#ring = new Array<string | undefined>(capacity);
  }

  /** Adds `id`; returns `false` when it was already remembered. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#ids.delete(evicted);
    this.#ring[this.#next] = id;
    this.#next = (this.#next + 1) % this.capacity;
    this.#ids.add(id);
    return true;
  }

  /** Whether `id` is remembered. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /**
   * Forgets `id` (a failed delivery that may be redelivered). Its ring slot is left in place;
   * if the id comes back before that slot is reused, it is forgotten a little early, which only
   * shortens the dedupe window for that one id.
   */
  delete(id: string): boolean {
    return this.#ids.delete(id);
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.#ids.size;
  }
}
