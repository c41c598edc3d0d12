// `npm test` appends the runtime matrix's counts (Node 22, Deno, Bun, workerd, Chromium workers):
// see runtimes/README.md.
export { runtimeMatrix } from '../../runtimes/matrix.mjs';
