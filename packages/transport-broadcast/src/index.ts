export { createBroadcastTransport } from './broadcastTransport.js';
export type { BroadcastTransport, BroadcastTransportOptions } from './broadcastTransport.js';
export type { BroadcastMessage } from './broadcastMessage.js';
export { electLeader } from './electLeader.js';
export type { ElectLeaderOptions, LeaderElection } from './electLeader.js';
export { runWhileLeader, runProjectionOnLeader } from './runOnLeader.js';
export type { LeaderRun, LeaderTask, RunWhileLeaderOptions } from './runOnLeader.js';
