import { Application } from '@eventwire/core';
import { Dog, type DogState } from './dog.js';

/** The dog school: registers dogs and teaches them tricks. */
export class DogSchool extends Application {
  // Class names do not survive minifiers; runners and workers find applications by this name.
  static readonly applicationName = 'DogSchool';
  readonly #dogs = this.repository(Dog);

  async registerDog(name: string, dogId?: string): Promise<string> {
    const dog = Dog.register(name, dogId);
    await this.save(dog);
    return dog.aggregateId;
  }

  async addTrick(dogId: string, trick: string): Promise<void> {
    const dog = await this.#dogs.load(dogId);
    dog.addTrick(trick);
    await this.save(dog);
  }

  /** The dog as plain data (it crosses worker boundaries). */
  async getDog(dogId: string): Promise<DogState> {
    const { name, tricks } = (await this.#dogs.load(dogId)).state;
    return { name, tricks: [...tricks] };
  }
}
