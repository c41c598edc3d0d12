import { useSyncExternalStore } from 'react';
import type { DevtoolsModel } from './model/devtoolsModel.js';

/**
 * Re-renders when the model changed (at most every `notifyEveryMs`); returns its version.
 * @example
 * ```tsx
 * function EventCount({ model }: { model: DevtoolsModel }) {
 *   useDevtoolsModel(model);
 *   return <span>{model.events.length}</span>;
 * }
 * ```
 */
export function useDevtoolsModel(model: DevtoolsModel): number {
  return useSyncExternalStore(
    (listener) => model.subscribe(listener),
    () => model.version,
  );
}
