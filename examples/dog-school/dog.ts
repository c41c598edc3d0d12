import { AggregateRoot, EventwireError, type AnyEvent } from '@eventwire/core';
import { DogRegistered, TrickAdded } from './events.js';

export interface DogState {
  readonly name: string;
  readonly tricks: readonly string[];
}

/** A dog of the school: registered with a name, learns tricks. */
export class Dog extends AggregateRoot<DogState> {
  readonly aggregateType = 'Dog';

  /** A new dog; nothing is stored until the application saves it. */
  static register(name: string, dogId: string = crypto.randomUUID()): Dog {
    const dog = new Dog(dogId);
    dog.applyEvent(DogRegistered.create({ name }, dog.nextEnvelope()));
    return dog;
  }

  addTrick(trick: string): void {
    if (this.version === 0) throw new EventwireError('AGGREGATE_NOT_FOUND', `dog ${this.aggregateId} is not registered`);
    this.applyEvent(TrickAdded.create({ trick }, this.nextEnvelope()));
  }

  protected getInitialState(): DogState {
    return { name: '', tricks: [] };
  }

  protected apply(state: DogState, event: AnyEvent): DogState {
    if (DogRegistered.is(event)) return { name: event.data.name, tricks: [] };
    if (TrickAdded.is(event)) return { ...state, tricks: [...state.tricks, event.data.trick] };
    return state;
  }
}
