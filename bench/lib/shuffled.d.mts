/** A copy of `items` in a random order (Fisher-Yates). */
export declare function shuffled<T>(items: readonly T[]): T[];
