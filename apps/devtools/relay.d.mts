import type { Server } from 'node:http';
import type { Plugin } from 'vite';

/** The path of the relay on the server that serves the devtools. */
export declare const RELAY_PATH: string;
/** Attaches the relay to an HTTP server; returns a function that closes it. */
export declare function attachDevtoolsRelay(httpServer: Server): () => void;
/** The relay as a Vite plugin, on the dev server and on `vite preview`. */
export declare function devtoolsRelay(): Plugin;
