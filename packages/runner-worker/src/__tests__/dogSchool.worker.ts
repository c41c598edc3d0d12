// An application worker for the tests: serves the dog school's applications on in-memory stores.
import { InMemoryEventStore } from '@eventwire/core';
import { dogSchoolRegistry } from '../../../../examples/dog-school/events.js';
import { dogSchoolSystem } from '../../../../examples/dog-school/system.js';
import { serveApplications } from '../index.js';

serveApplications(dogSchoolSystem, { store: () => new InMemoryEventStore(), registry: dogSchoolRegistry });
