import { InMemoryEventStore } from '@eventwire/core';
import { testTrackingStoreContract } from '../trackingStoreContract.js';

testTrackingStoreContract('InMemoryEventStore', () => new InMemoryEventStore());
