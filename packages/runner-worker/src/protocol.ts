import type { ReadAllOptions, SerializedError, StoredEvent } from '@eventwire/core';

/**
 * What an upstream worker serves to each downstream worker over a dedicated MessagePort: its
 * log, and a wake-up call after every append. Only plain data crosses; the downstream decodes
 * every event against its registry.
 */
export interface LogServerApi {
  readAll(options: ReadAllOptions): Promise<readonly StoredEvent[]>;
  getLastPosition(): Promise<number>;
  /** Registers a callback (a Comlink proxy) called after every append of the upstream. */
  onAppend(wake: () => void): void;
}

/** A pipe that stopped on an error, as plain data. */
export interface PipeFailure {
  readonly upstream: string;
  readonly error: SerializedError;
}

/**
 * The API each application worker exposes to the page (through Comlink on the worker's
 * global endpoint). The page never calls it directly: `WorkerRunner` does.
 */
export interface ApplicationHostApi {
  /** Makes the application with its store. */
  start(name: string): Promise<void>;
  /** Exposes the application itself on `port`: the page calls its methods through it. */
  connect(port: MessagePort): void;
  /** Serves the application's log on `port` to one downstream worker. */
  serveLog(port: MessagePort): void;
  /** Follows an upstream's log served on `port`: processes what it holds, then every append. */
  follow(upstream: string, port: MessagePort): Promise<void>;
  lastPosition(): Promise<number>;
  trackedPosition(upstream: string): Promise<number>;
  /**
   * Resolves once the application has processed `upstream` up to `position`.
   * @throws the pipe's error when it stops first
   */
  waitForTracked(upstream: string, position: number): Promise<void>;
  failures(): PipeFailure[];
  stop(): Promise<void>;
}
