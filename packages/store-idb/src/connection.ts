import { EventwireError } from '@eventwire/core';
import { openDB } from 'idb';
import type { IDBPDatabase } from 'idb';
import { domErrorName, toStoreError } from './storeError.js';
import { hasSchema, migrate } from './schema.js';
import type { EventwireDB, EventwireUpgradeTransaction } from './schema.js';

/** Creates an application's own stores (read models) next to eventwire's. */
export type UpgradeCallback = (db: IDBPDatabase<EventwireDB>, oldVersion: number, newVersion: number | null, tx: EventwireUpgradeTransaction) => void;

/** Options of {@link IdbConnection}. */
export interface IdbConnectionOptions {
  /** The database version; bump it when `upgrade` changes. @default 1 */
  version?: number;
  upgrade?: UpgradeCallback;
  /** How long an open may wait for other tabs to close their connections. @default 10_000 */
  blockedTimeoutMs?: number;
}

/**
 * The store's connection to its database, opened on first use. When a newer tab upgrades the
 * database, this connection closes itself at once (so the newer tab does not hang) and the next
 * operation reopens it, at the newer version when the schema it needs is there.
 * @internal
 */
export class IdbConnection {
  readonly name: string;
  readonly #options: IdbConnectionOptions;
  #db: Promise<IDBPDatabase<EventwireDB>> | undefined;
  #opened: IDBPDatabase<EventwireDB> | undefined;
  #closed = false;

  constructor(name: string, options: IdbConnectionOptions = {}) {
    this.name = name;
    this.#options = options;
  }

  /** The open database, opening or reopening it when needed. */
  get(): Promise<IDBPDatabase<EventwireDB>> {
    if (this.#closed) return Promise.reject(new EventwireError('STORE_CLOSED', `The store "${this.name}" is closed`));
    this.#db ??= this.#open().then(
      (db) => (this.#opened = db),
      (error: unknown) => {
        this.#db = undefined;
        throw error;
      },
    );
    return this.#db;
  }

  /** Forgets `db` after it failed as closed; the next `get` reopens. */
  invalidate(db: IDBPDatabase<EventwireDB>): void {
    if (this.#opened !== db) return;
    this.#opened = undefined;
    this.#db = undefined;
  }

  /** The database when it is open now (for fault tests). */
  get current(): IDBPDatabase<EventwireDB> | undefined {
    return this.#opened;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const db = await this.#db?.catch(() => undefined);
    db?.close();
    this.#db = undefined;
    this.#opened = undefined;
  }

  async #open(): Promise<IDBPDatabase<EventwireDB>> {
    try {
      const db = await this.#openAt(this.#options.version ?? 1);
      if (hasSchema(db)) return db;
      db.close();
      throw new EventwireError('STORE_FAILED', `Database "${this.name}" exists without the event store's tables (made by other code?); use another name or a higher version`);
    } catch (error) {
      // A newer tab upgraded the database past our version: use it as it is when it still has
      // our stores (read models of newer code are none of our business).
      if (domErrorName(error) !== 'VersionError') throw toStoreError(error, 'open');
      const db = await this.#openAt(undefined);
      if (hasSchema(db)) return db;
      db.close();
      throw new EventwireError('STORE_FAILED', `Database "${this.name}" was upgraded by newer code without the event store's tables; reload the page`);
    }
  }

  #openAt(version: number | undefined): Promise<IDBPDatabase<EventwireDB>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let gaveUp = false;
    const opening = openDB<EventwireDB>(this.name, version, {
      upgrade: (db, oldVersion, newVersion, tx) => {
        migrate(db);
        this.#options.upgrade?.(db, oldVersion, newVersion, tx);
      },
      blocked: () => {
        timer ??= setTimeout(() => {
          gaveUp = true;
          rejectBlocked(new EventwireError('TIMEOUT', `Opening "${this.name}" is blocked: another tab keeps an older connection open`));
        }, this.#options.blockedTimeoutMs ?? 10_000);
      },
      blocking: () => this.#closeFor(opening),
      terminated: () => this.#closeFor(opening),
    });
    let rejectBlocked: (error: unknown) => void = () => {};
    const blocked = new Promise<never>((_, reject) => (rejectBlocked = reject));
    const opened = opening.then((db) => {
      clearTimeout(timer);
      if (gaveUp) db.close();
      return db;
    });
    return Promise.race([opened, blocked]);
  }

  // Another tab wants to upgrade (or the browser closed us): let go now, reopen on next use.
  #closeFor(opening: Promise<IDBPDatabase<EventwireDB>>): void {
    void opening.then((db) => {
      db.close();
      this.invalidate(db);
    });
  }
}
