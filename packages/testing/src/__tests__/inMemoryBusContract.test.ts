import { InMemoryEventBus } from '@eventwire/core';
import { testEventBusContract } from '../busContract.js';

testEventBusContract('InMemoryEventBus', () => new InMemoryEventBus({ onHandlerError: () => {} }));
