import { afterEach, describe, expect, it } from 'vitest';
import { isEventwireError, openBroadcastChannel, probeBroadcastChannel, requireIndexedDB, requireWebLocks, unsupportedRuntime } from '@eventwire/core';

/** Replaces a global for one test; `afterEach` puts the original back exactly as it was. */
const replaced: [string, PropertyDescriptor | undefined][] = [];
function replaceGlobal(name: string, value: unknown): void {
  replaced.push([name, Object.getOwnPropertyDescriptor(globalThis, name)]);
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}
afterEach(() => {
  for (const [name, original] of replaced.splice(0).reverse()) {
    if (original === undefined) delete (globalThis as Record<string, unknown>)[name];
    else Object.defineProperty(globalThis, name, original);
  }
});

/** A BroadcastChannel that accepts everything and delivers nothing, as test shims do. */
class SilentBroadcastChannel {
  constructor(readonly name: string) {}
  postMessage(): void {}
  close(): void {}
  addEventListener(): void {}
  removeEventListener(): void {}
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('unsupportedRuntime', () => {
  it('names what is missing, why, and what to use instead', () => {
    const error = unsupportedRuntime('IndexedDB', 'indexedDB is not defined');
    expect(isEventwireError(error, 'UNSUPPORTED_RUNTIME')).toBe(true);
    expect(error.message).toContain('IndexedDB is not available in this runtime (indexedDB is not defined)');
    expect(error.message).toContain('InMemoryEventStore');
    expect(error.details).toEqual({ capability: 'IndexedDB', reason: 'indexedDB is not defined' });
  });
});

describe('BroadcastChannel detection', () => {
  it('throws UNSUPPORTED_RUNTIME pointing at a broker transport when there is no BroadcastChannel (workerd)', () => {
    replaceGlobal('BroadcastChannel', undefined);
    const error = thrown(() => openBroadcastChannel('eventwire:test:absent'));
    expect(isEventwireError(error, 'UNSUPPORTED_RUNTIME')).toBe(true);
    expect((error as Error).message).toMatch(/^BroadcastChannel is not available in this runtime/);
    expect((error as Error).message).toContain('@eventwire/transport-nats');
  });

  it('refuses a global that constructs something without the channel methods', () => {
    replaceGlobal('BroadcastChannel', class {});
    expect(isEventwireError(thrown(() => openBroadcastChannel('eventwire:test:hollow')), 'UNSUPPORTED_RUNTIME')).toBe(true);
  });

  it('catches a do-nothing shim by using it: the probe message never arrives', async () => {
    replaceGlobal('BroadcastChannel', SilentBroadcastChannel);
    expect(openBroadcastChannel('eventwire:test:silent')).toBeInstanceOf(SilentBroadcastChannel);
    const failure = await probeBroadcastChannel(50).then(() => undefined, (error: unknown) => error);
    expect(isEventwireError(failure, 'UNSUPPORTED_RUNTIME')).toBe(true);
    expect((failure as Error).message).toContain('was not delivered');
  });
});

describe('IndexedDB detection', () => {
  it('throws UNSUPPORTED_RUNTIME pointing at InMemoryEventStore when there is no indexedDB', () => {
    replaceGlobal('indexedDB', undefined);
    const error = thrown(() => requireIndexedDB());
    expect(isEventwireError(error, 'UNSUPPORTED_RUNTIME')).toBe(true);
    expect((error as Error).message).toContain('InMemoryEventStore');
  });

  it('catches a do-nothing shim by using it: cmp(1, 2) must answer -1', () => {
    replaceGlobal('indexedDB', { cmp: () => undefined, open: () => undefined });
    expect(isEventwireError(thrown(() => requireIndexedDB()), 'UNSUPPORTED_RUNTIME')).toBe(true);
  });

  it('accepts a factory that compares keys', () => {
    const factory = { cmp: (a: number, b: number) => Math.sign(a - b) };
    replaceGlobal('indexedDB', factory);
    expect(requireIndexedDB()).toBe(factory);
  });
});

describe('Web Locks detection', () => {
  it('rejects with UNSUPPORTED_RUNTIME when navigator.locks cannot grant a lock', async () => {
    replaceGlobal('navigator', { locks: { request: async () => undefined } });
    const failure = await requireWebLocks().then(() => undefined, (error: unknown) => error);
    expect(isEventwireError(failure, 'UNSUPPORTED_RUNTIME')).toBe(true);
    expect((failure as Error).message).toContain('WebLocks is not available');
  });

  it('returns a lock manager that grants a free lock', async () => {
    const locks = { request: async (_name: string, _options: unknown, callback: (lock: unknown) => unknown) => callback({ name: _name }) };
    replaceGlobal('navigator', { locks });
    expect(await requireWebLocks()).toBe(locks);
  });
});
