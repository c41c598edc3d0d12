import { isConcurrencyError } from '@eventwire/core';
import type { EventStore } from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { placed, shipped } from './fixtures.js';

/**
 * The racing parts of the store contract: writers competing for the same versions, and a batch
 * retried many times. Part of `testEventStoreContract`.
 * @internal
 */
export function testEventStoreRaces(make: () => Promise<EventStore>): void {
  describe('races', () => {
    it('10 writers x 100 appends racing on the same expected versions: one winner per version, no duplicates', async () => {
      const store = await make();
      const writers = 10;
      const rounds = 100;
      let wins = 0;
      let conflicts = 0;
      const write = async (writer: number): Promise<void> => {
        for (let version = 0; version < rounds; version++) {
          try {
            await store.append('Race-1', [placed(`writer-${writer}`, version)], { expectedVersion: version });
            wins++;
          } catch (error) {
            if (!isConcurrencyError(error)) throw error;
            conflicts++;
          }
        }
      };
      await Promise.all(Array.from({ length: writers }, (_, writer) => write(writer)));
      const stream = await store.readStream('Race-1');
      expect(stream.map((s) => s.version)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
      expect(stream.map((s) => (s.event.data as { totalAmount: number }).totalAmount)).toEqual(Array.from({ length: rounds }, (_, i) => i));
      expect(new Set(stream.map((s) => s.event.id)).size).toBe(rounds);
      expect(wins).toBe(rounds);
      expect(conflicts).toBe(writers * rounds - rounds);
      expect((await store.readAll()).map((s) => s.position)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    }, 120_000);

    it('the same batch replayed 1,000 times is stored once', async () => {
      const store = await make();
      const batch = [placed(), shipped(), placed(), shipped(), placed()];
      const replays = 1000;
      const results = [];
      for (let wave = 0; wave < replays / 100; wave++) {
        results.push(...(await Promise.all(Array.from({ length: 100 }, () => store.append('Replay-1', batch, { expectedVersion: 'any' })))));
      }
      expect(results.filter((r) => r.stored.length > 0)).toHaveLength(1);
      expect(results.reduce((sum, r) => sum + r.stored.length, 0)).toBe(batch.length);
      expect(results.every((r) => r.stored.length === batch.length || r.duplicates === batch.length)).toBe(true);
      const stored = await store.readAll();
      expect(stored.map((s) => s.event.id)).toEqual(batch.map((e) => e.id));
      expect(stored.map((s) => s.position)).toEqual([1, 2, 3, 4, 5]);
    }, 120_000);
  });
}
