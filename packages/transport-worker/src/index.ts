export { createPortTransport } from './portTransport.js';
export type { PortLike, PortTransportOptions } from './portTransport.js';
export { exposeBus, createBusHost } from './busHost.js';
export type { BusSnapshot, ExposeBusOptions, RemoteFailure, RemoteHandler, RemotePublishResult, WithSnapshot } from './busHost.js';
export { wrapBus, WorkerEventBus } from './wrapBus.js';
export type { WrapBusOptions } from './wrapBus.js';
export { serveSharedWorkerHub, connectSharedWorker } from './sharedWorkerHub.js';
export type { SharedWorkerHub, SharedWorkerScopeLike } from './sharedWorkerHub.js';
