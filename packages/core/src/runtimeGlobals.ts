/**
 * The few globals core uses, which every runtime has (browsers, workers, Node, Deno, Bun,
 * workerd). Typed here so core compiles without DOM or Node typings, which would let a
 * platform-specific API slip in unnoticed.
 * @internal
 */
interface RuntimeGlobals {
  readonly console: { error(...data: unknown[]): void };
  readonly performance: { now(): number };
  readonly crypto: { getRandomValues(array: Uint8Array): Uint8Array };
  setTimeout(handler: (...args: unknown[]) => void, ms: number, ...args: unknown[]): unknown;
  clearTimeout(id: unknown): void;
}

/** @internal */
export const runtime = globalThis as unknown as RuntimeGlobals;
