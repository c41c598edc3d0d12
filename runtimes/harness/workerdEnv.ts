/**
 * The `env` that workerd passes to the test handler (bindings such as a service binding to the
 * Worker under test). Set by the workerd driver before the test file loads.
 */
let current: Record<string, unknown> | undefined;

/** @internal */
export function setWorkerdEnv(env: Record<string, unknown>): void {
  current = env;
}

/** The bindings of the running workerd test service; throws outside workerd. */
export function workerdEnv<T>(): T {
  if (current === undefined) throw new Error('workerdEnv(): only available in a workerd test service of the runtime matrix');
  return current as T;
}
