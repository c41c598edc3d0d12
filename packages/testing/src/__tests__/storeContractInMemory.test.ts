import { InMemoryEventStore } from '@eventwire/core';
import { testEventStoreContract } from '@eventwire/testing';

testEventStoreContract('InMemoryEventStore', () => new InMemoryEventStore());
