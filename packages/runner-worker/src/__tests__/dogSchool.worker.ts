// An application worker for the tests: serves the dog school's applications on in-memory stores.
// A worker named `<app>|no-tricks` decodes with a registry that lacks TrickAdded.
import { EventRegistry, InMemoryEventStore } from '@eventwire/core';
import { CounterIncremented, CounterStarted, DogRegistered, dogSchoolRegistry } from '../../../../examples/dog-school/events.js';
import { dogSchoolSystem } from '../../../../examples/dog-school/system.js';
import { serveApplications } from '../index.js';

const registry = self.name.endsWith('|no-tricks') ? new EventRegistry([DogRegistered, CounterStarted, CounterIncremented]) : dogSchoolRegistry;
serveApplications(dogSchoolSystem, { store: () => new InMemoryEventStore(), registry });
