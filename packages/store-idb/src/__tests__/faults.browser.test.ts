// Faults in real Chromium: every operation settles with a typed error, no partial batch is ever
// visible, and the store keeps working. (Quota is in e2e/store-idb, where CDP can shrink it.)
import { isEventwireError } from '@eventwire/core';
import type { AnyEvent } from '@eventwire/core';
import { IndexedDBEventStore } from '@eventwire/store-idb';
import { placed, uniqueName } from '@eventwire/testing';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';

describe('IndexedDBEventStore faults (Chromium)', () => {
  it('a transaction aborted mid-batch fails every append of the batch with TRANSACTION_ABORTED, stores none, and leaves no gap', async () => {
    let abortNext = false;
    const store = new IndexedDBEventStore({
      name: uniqueName('abort'),
      recordSize: 2,
      beforeCommit: (tx) => {
        if (abortNext) tx.abort();
      },
    });
    await store.append('A', [placed()]);
    abortNext = true;
    const settled = await Promise.allSettled([store.append('A', [placed(), placed(), placed()]), store.append('B', [placed()]), store.append('C', [placed()])]);
    abortNext = false;
    expect(settled.every((s) => s.status === 'rejected' && isEventwireError(s.reason, 'TRANSACTION_ABORTED'))).toBe(true);
    expect((await store.readAll()).map((s) => s.position)).toEqual([1]);
    await store.append('B', [placed()], { expectedVersion: 0 });
    expect((await store.readAll()).map((s) => [s.streamId, s.position])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    await store.close();
  });

  it('reopens when the connection is closed under it', async () => {
    const store = new IndexedDBEventStore({ name: uniqueName('closed') });
    await store.append('A', [placed()]);
    store.connection.current?.close();
    await store.append('A', [placed()], { expectedVersion: 1 });
    store.connection.current?.close();
    expect((await store.readStream('A')).map((s) => s.version)).toEqual([1, 2]);
    await store.close();
  });

  it('lets a newer tab upgrade (versionchange): the store lets go at once, then reconnects at the new version', async () => {
    const name = uniqueName('upgrade');
    const store = new IndexedDBEventStore({ name });
    await store.append('A', [placed()]);
    const newer = await openDB(name, 2, {
      upgrade(db) {
        db.createObjectStore('newReadModel');
      },
    });
    expect(Array.from(newer.objectStoreNames)).toContain('newReadModel');
    newer.close();
    await store.append('A', [placed()], { expectedVersion: 1 });
    expect(await store.getStreamVersion('A')).toBe(2);
    expect(store.connection.current?.version).toBe(2);
    await store.close();
  });

  it('a new tab is not left hanging by an old connection that never lets go: it fails with TIMEOUT', async () => {
    const name = uniqueName('blocked');
    const stubborn = await openDB(name, 1);
    stubborn.addEventListener('versionchange', () => {
      // An old tab of other code that ignores versionchange.
    });
    const store = new IndexedDBEventStore({ name, version: 2, blockedTimeoutMs: 300 });
    const error = await store.append('A', [placed()]).catch((e: unknown) => e);
    expect(isEventwireError(error, 'TIMEOUT')).toBe(true);
    stubborn.close();
    await store.append('A', [placed()]);
    expect(await store.getLastPosition()).toBe(1);
    await store.close();
  });

  it('refuses a value that cannot be cloned with NOT_SERIALIZABLE, without failing the appends around it', async () => {
    const store = new IndexedDBEventStore({ name: uniqueName('clone') });
    const withBlob = { ...placed(), data: { customerName: 'x', totalAmount: 1, file: new Blob(['x']) } } as unknown as AnyEvent;
    const withSymbol = { ...placed(), metadata: { s: Symbol('no') } } as unknown as AnyEvent;
    const settled = await Promise.allSettled([store.append('A', [placed()]), store.append('A', [withBlob]), store.append('A', [withSymbol]), store.append('A', [placed()])]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const s of settled.slice(1, 3)) expect(s.status === 'rejected' && isEventwireError(s.reason, 'NOT_SERIALIZABLE')).toBe(true);
    expect((await store.readStream('A')).map((s) => s.version)).toEqual([1, 2]);
    await store.close();
  });

  it('a closed store rejects with STORE_CLOSED', async () => {
    const store = new IndexedDBEventStore({ name: uniqueName('closed-store') });
    await store.close();
    const error = await store.append('A', [placed()]).catch((e: unknown) => e);
    expect(isEventwireError(error, 'STORE_CLOSED')).toBe(true);
  });
});

describe('IndexedDBEventStore on a foreign database', () => {
  it('says clearly that a database of the same name made by other code has no event store tables', async () => {
    const name = uniqueName('foreign');
    const other = await openDB(name, 1, { upgrade: (db) => void db.createObjectStore('somethingElse') });
    other.close();
    const error = await new IndexedDBEventStore({ name }).getLastPosition().catch((e: unknown) => e);
    expect(isEventwireError(error, 'STORE_FAILED')).toBe(true);
    const upgraded = new IndexedDBEventStore({ name, version: 2 });
    await upgraded.append('A', [placed()]);
    expect(await upgraded.getLastPosition()).toBe(1);
    await upgraded.close();
  });
});
