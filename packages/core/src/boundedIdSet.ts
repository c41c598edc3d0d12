import { EventwireError } from './errors.js';

/**
 * A set of ids that remembers at most `capacity` of them, forgetting the oldest first. Used to
 * deduplicate events by id without growing forever: a redelivery arrives soon after the
 * original, so remembering the recent past is enough.
 *
 * Built for one lookup per event on a hot path: a ring of the ids in arrival order and an
 * open-addressing table of ring slots (linear probing, at most half full), keyed by a hash
 * seeded at random per set, so that ids chosen to collide cannot slow it down. Unlike a `Set`
 * of strings it hashes each id once per call in plain code, and forgets the oldest without
 * leaving deleted entries behind.
 *
 * @example
 * ```ts
 * const seen = new BoundedIdSet(10_000);
 * if (seen.add(event.id)) handle(event); // false: seen it recently, skip
 * ```
 */
export class BoundedIdSet {
  readonly capacity: number;
  // The ids in arrival order (the slot at #next is the oldest once the ring is full), and each one's hash.
  readonly #ring: (string | undefined)[];
  readonly #hashes: Int32Array;
  // Ring slot + 1 per table position; 0 is empty.
  readonly #table: Int32Array;
  readonly #mask: number;
  readonly #seed = (Math.random() * 0x1_0000_0000) | 0;
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 0x1000_0000) {
      throw new EventwireError('INVALID_ARGUMENT', `BoundedIdSet: capacity must be a positive integer up to 2^28, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.#ring = new Array<string | undefined>(capacity).fill(undefined);
    this.#hashes = new Int32Array(capacity);
    let positions = 2;
    while (positions < capacity * 2) positions *= 2;
    this.#table = new Int32Array(positions);
    this.#mask = positions - 1;
  }

  /** Adds `id`; returns `false` when it was already remembered. */
  add(id: string): boolean {
    const hash = this.#hash(id);
    let position = this.#find(id, hash);
    if (position >= 0) return false;
    const slot = this.#next;
    const evicted = this.#ring[slot];
    if (evicted !== undefined) {
      const old = this.#find(evicted, this.#hashes[slot]!);
      if (old >= 0) this.#remove(old);
      // Removing may move entries along the probe sequence: look for the free position again.
      position = this.#find(id, hash);
    }
    this.#ring[slot] = id;
    this.#hashes[slot] = hash;
    this.#table[~position] = slot + 1;
    this.#next = slot + 1 === this.capacity ? 0 : slot + 1;
    this.#size++;
    return true;
  }

  /** Whether `id` is remembered. */
  has(id: string): boolean {
    return this.#find(id, this.#hash(id)) >= 0;
  }

  /** Forgets `id` (a failed delivery that may be redelivered). */
  delete(id: string): boolean {
    const position = this.#find(id, this.#hash(id));
    if (position < 0) return false;
    this.#ring[this.#table[position]! - 1] = undefined;
    this.#remove(position);
    return true;
  }

  /** How many ids are remembered. */
  get size(): number {
    return this.#size;
  }

  /** FNV-1a over the UTF-16 code units, from a random start, with the high bits folded in. */
  #hash(id: string): number {
    let hash = this.#seed ^ 0x811c9dc5;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    return hash ^ (hash >>> 15);
  }

  /** The table position holding `id`, or `~position` of the free one where it would go. */
  #find(id: string, hash: number): number {
    const table = this.#table;
    const mask = this.#mask;
    for (let position = hash & mask; ; position = (position + 1) & mask) {
      const entry = table[position]!;
      if (entry === 0) return ~position;
      if (this.#hashes[entry - 1] === hash && this.#ring[entry - 1] === id) return position;
    }
  }

  /** Empties a table position, moving later entries of its cluster back so none is cut off. */
  #remove(position: number): void {
    const table = this.#table;
    const mask = this.#mask;
    let hole = position;
    table[hole] = 0;
    this.#size--;
    for (let next = (hole + 1) & mask; table[next] !== 0; next = (next + 1) & mask) {
      const home = this.#hashes[table[next]! - 1]! & mask;
      // The entry at `next` may fill the hole when its home is not cyclically within (hole, next].
      const reachable = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (reachable) continue;
      table[hole] = table[next]!;
      table[next] = 0;
      hole = next;
    }
  }
}
