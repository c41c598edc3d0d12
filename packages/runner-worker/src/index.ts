export { WorkerRunner } from './workerRunner.js';
export type { WorkerRunnerOptions } from './workerRunner.js';
export { serveApplications } from './serveApplications.js';
export type { ServeApplicationsOptions } from './serveApplications.js';
export type { ApplicationHostApi, LogServerApi, PipeFailure } from './protocol.js';
export { serveProjection } from './serveProjection.js';
export type { ProjectionHostApi, ServeProjectionOptions } from './serveProjection.js';
export { WorkerProjection } from './workerProjection.js';
