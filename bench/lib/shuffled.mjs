// Shared by the benches that run their contenders in a random order (dispatch, devtools).

/**
 * A copy of `items` in a random order (Fisher-Yates). Benches run their contenders in a new order
 * each time, so that no contender always gets the place V8 favours (set up, compiled or run first).
 * @template T
 * @param {readonly T[]} items
 * @returns {T[]}
 * @example
 * for (const variant of shuffled(variants)) await round(variant);
 */
export function shuffled(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
