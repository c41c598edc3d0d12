export { testEventBusContract } from './busContract.js';
export { deferred } from './deferred.js';
export type { Deferred } from './deferred.js';
export { placed, registered, shipped, TestOrderPlaced, TestOrderShipped, TestUserRegistered, objectSchema } from './fixtures.js';
