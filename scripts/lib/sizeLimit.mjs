// The step `npm run check` adds after publint and attw (see scripts/check.mjs): browser entries
// free of Node-only imports, and the size budgets of .size-limit.mjs (runtimes/checkPackages.mjs).
export const sizeLimitStep = ['size budgets (size-limit) and browser entries free of Node-only imports', 'node', ['runtimes/checkPackages.mjs']];
