/** The counters the stats charts plot, per second. */
export type RateKey = 'published' | 'invoked' | 'errors' | 'background';

/** One second of activity. */
export interface RatePoint {
  /** The second, in milliseconds since the epoch. */
  readonly t: number;
  published: number;
  invoked: number;
  errors: number;
  background: number;
}

/**
 * Counts per second over the last `windowSeconds`, for rate charts.
 * @example
 * ```ts
 * const series = new RateSeries(60);
 * series.add(Date.now(), 'published');
 * series.points(Date.now()); // 60 points, oldest first
 * ```
 */
export class RateSeries {
  readonly #windowSeconds: number;
  readonly #buckets = new Map<number, RatePoint>();
  #latest: RatePoint | undefined;

  constructor(windowSeconds = 120) {
    this.#windowSeconds = windowSeconds;
  }

  add(time: number, key: RateKey, count = 1): void {
    const t = Math.floor(time / 1000) * 1000;
    // Records come in time order, mostly many to a second: the latest bucket is usually the one.
    const latest = this.#latest;
    let bucket = latest !== undefined && latest.t === t ? latest : this.#buckets.get(t);
    if (bucket === undefined) {
      bucket = { t, published: 0, invoked: 0, errors: 0, background: 0 };
      this.#buckets.set(t, bucket);
      if (this.#buckets.size > this.#windowSeconds * 2) this.#trim(t);
    }
    this.#latest = bucket;
    bucket[key] += count;
  }

  clear(): void {
    this.#buckets.clear();
    this.#latest = undefined;
  }

  /** One point per second, ending at `now`, empty seconds included. */
  points(now: number, seconds = 60): RatePoint[] {
    const end = Math.floor(now / 1000) * 1000;
    const points: RatePoint[] = [];
    for (let t = end - (seconds - 1) * 1000; t <= end; t += 1000) {
      points.push(this.#buckets.get(t) ?? { t, published: 0, invoked: 0, errors: 0, background: 0 });
    }
    return points;
  }

  #trim(latest: number): void {
    const oldest = latest - this.#windowSeconds * 1000;
    for (const t of this.#buckets.keys()) if (t < oldest) this.#buckets.delete(t);
  }
}

/** Sums several series point by point (the "all sources" view). */
export function sumPoints(series: readonly RatePoint[][]): RatePoint[] {
  const [first, ...rest] = series;
  if (first === undefined) return [];
  return first.map((point, i) => {
    const sum = { ...point };
    for (const other of rest) {
      const p = other[i];
      if (p === undefined) continue;
      sum.published += p.published;
      sum.invoked += p.invoked;
      sum.errors += p.errors;
      sum.background += p.background;
    }
    return sum;
  });
}
