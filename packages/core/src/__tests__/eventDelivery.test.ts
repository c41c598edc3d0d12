import {
  AggregateRoot,
  Application,
  AsynchronousDelivery,
  defineEvent,
  EventProcessor,
  EventRegistry,
  handles,
  InMemoryCheckpointStore,
  InMemoryDeadLetterStore,
  InMemoryEventStore,
  isEventwireError,
  RetryPolicy,
  type AnyEvent,
  type BatchOutcome,
  type EventOf,
  type IncomingBatch,
  type Transport,
} from '@eventwire/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const TaskAdded = defineEvent('TaskAdded', z.object({ title: z.string() }), { aggregateType: 'Board' });
const noWait = { sleep: async () => {} };

class Board extends AggregateRoot<{ titles: string[] }> {
  readonly aggregateType = 'Board';
  add(title: string) {
    this.applyEvent(TaskAdded.create({ title }, this.nextEnvelope()));
  }
  protected getInitialState() {
    return { titles: [] as string[] };
  }
  protected apply(state: { titles: string[] }, event: AnyEvent) {
    return TaskAdded.is(event) ? { titles: [...state.titles, event.data.title] } : state;
  }
}

class Boards extends Application {
  readonly #boards = this.repository(Board);
  async addTask(boardId: string, title: string) {
    const board = (await this.#boards.tryLoad(boardId)) ?? this.#boards.createNew(boardId);
    board.add(title);
    await this.save(board);
  }
}

/** Fails on titles starting with "fail", `failures` times per event (Infinity: always). */
class Titles extends EventProcessor {
  readonly titles: string[] = [];
  readonly attempts = new Map<string, number>();
  constructor(private readonly failures = Infinity) {
    super({ name: 'titles' });
  }
  @handles(TaskAdded)
  onTaskAdded(event: EventOf<typeof TaskAdded>) {
    const attempt = (this.attempts.get(event.id) ?? 0) + 1;
    this.attempts.set(event.id, attempt);
    if (event.data.title.startsWith('fail') && attempt <= this.failures) throw new Error(`cannot take ${event.data.title}`);
    this.titles.push(event.data.title);
  }
}

describe('synchronous delivery (the default)', () => {
  it('runs the processors before the command returns', async () => {
    const titles = new Titles();
    const boards = new Boards({ processors: [titles] });
    await boards.addTask('b1', 'write tests');
    expect(titles.titles).toEqual(['write tests']);
  });

  it('fails the command with HANDLER_FAILED when a processor fails; the events are stored', async () => {
    const store = new InMemoryEventStore();
    const boards = new Boards({ store, processors: [new Titles()] });
    const error = await boards.addTask('b1', 'fail loudly').catch((e: unknown) => e);
    expect(isEventwireError(error, 'HANDLER_FAILED')).toBe(true);
    expect((error as Error).message).toContain('cannot take fail loudly');
    expect(await store.getLastPosition()).toBe(1);
  });
});

describe('asynchronous delivery from the store', () => {
  it('returns before the processors run, and they catch up from their checkpoint', async () => {
    const titles = new Titles();
    const delivery = new AsynchronousDelivery();
    const boards = new Boards({ processors: [titles], delivery });
    await boards.addTask('b1', 'before start');
    expect(titles.titles).toEqual([]);
    await boards.runEventProcessors();
    await boards.addTask('b1', 'after start');
    await boards.processorsIdle();
    expect(titles.titles).toEqual(['before start', 'after start']);
    expect(await delivery.checkpoints.get('Boards/titles')).toBe(2);
    await boards.stop();
  });

  it('retries a failing event and succeeds within the attempts', async () => {
    const titles = new Titles(2);
    const boards = new Boards({ processors: [titles], delivery: new AsynchronousDelivery({ retry: new RetryPolicy({ attempts: 3, ...noWait }) }) });
    await boards.runEventProcessors();
    await boards.addTask('b1', 'fail twice');
    await boards.processorsIdle();
    expect(titles.titles).toEqual(['fail twice']);
    expect([...titles.attempts.values()]).toEqual([3]);
    await boards.stop();
  });

  it('dead-letters an event after the attempts, never fails the writer, and goes on', async () => {
    const deadLetters = new InMemoryDeadLetterStore();
    const titles = new Titles();
    const boards = new Boards({
      processors: [titles],
      delivery: new AsynchronousDelivery({ retry: new RetryPolicy({ attempts: 2, ...noWait }), deadLetters }),
    });
    await boards.runEventProcessors();
    await boards.addTask('b1', 'fine');
    await boards.addTask('b1', 'fail always'); // resolves: the writer is never failed by a processor
    await boards.addTask('b1', 'still fine');
    await boards.processorsIdle();
    expect(titles.titles).toEqual(['fine', 'still fine']);
    const [letter, ...others] = await deadLetters.list({ consumer: 'Boards/titles' });
    expect(others).toEqual([]);
    expect(letter).toMatchObject({ attempts: 2, position: 2, error: { message: 'cannot take fail always' } });
    expect((letter!.event as EventOf<typeof TaskAdded>).data.title).toBe('fail always');

    // Replay once the cause is fixed: the letter goes away.
    await deadLetters.replay(letter!.id, (l) => void titles.titles.push((l.event as EventOf<typeof TaskAdded>).data.title));
    expect(titles.titles).toEqual(['fine', 'still fine', 'fail always']);
    expect(await deadLetters.list()).toEqual([]);
    await boards.stop();
  });

  it('resumes from the checkpoint after a restart, handling nothing twice', async () => {
    const store = new InMemoryEventStore();
    const checkpoints = new InMemoryCheckpointStore();
    const first = new Titles();
    const boards = new Boards({ store, processors: [first], delivery: new AsynchronousDelivery({ checkpoints }) });
    await boards.runEventProcessors();
    await boards.addTask('b1', 'one');
    await boards.processorsIdle();
    await boards.stop();
    await new Boards({ store }).addTask('b1', 'two'); // written while the processor is down

    const second = new Titles();
    const again = new Boards({ store, processors: [second], delivery: new AsynchronousDelivery({ checkpoints }) });
    await again.runEventProcessors();
    await again.processorsIdle();
    expect(second.titles).toEqual(['two']);
    await again.stop();
  });
});

describe('asynchronous delivery from a transport', () => {
  /** A transport whose sends come back as received batches, like a broker subscription. */
  function echoTransport(): Transport & { inject(payloads: unknown[]): Promise<BatchOutcome> } {
    let receiver: ((batch: IncomingBatch) => Promise<BatchOutcome>) | undefined;
    return {
      name: 'echo',
      async send(events) {
        void receiver?.({ payloads: JSON.parse(JSON.stringify(events)) as unknown[] });
      },
      receive(handler) {
        receiver = handler;
        return () => (receiver = undefined);
      },
      async close() {},
      inject: (payloads) => receiver!({ payloads }),
    };
  }

  it('decodes what arrives, deduplicates by id, rejects invalid payloads, dead-letters failures', async () => {
    const transport = echoTransport();
    const deadLetters = new InMemoryDeadLetterStore();
    const titles = new Titles();
    const boards = new Boards({
      processors: [titles],
      delivery: new AsynchronousDelivery({ transport, registry: new EventRegistry([TaskAdded]), deadLetters, retry: new RetryPolicy({ attempts: 2, ...noWait }) }),
    });
    await boards.runEventProcessors();
    await boards.addTask('b1', 'over the wire');
    await boards.addTask('b1', 'fail here');
    await boards.processorsIdle();
    expect(titles.titles).toEqual(['over the wire']);
    expect((await deadLetters.list()).map((l) => l.attempts)).toEqual([2]);

    const again = TaskAdded.create({ title: 'twice' });
    const outcome = await transport.inject([again, again, { id: 'x', type: 'TaskAdded', data: { title: 42 }, occurredAt: new Date().toISOString() }]);
    expect(outcome.handled).toEqual([0, 1]);
    expect(outcome.rejected.map((r) => r.index)).toEqual([2]);
    expect(titles.titles).toEqual(['over the wire', 'twice']);
    await boards.stop();
  });

  it('requires a registry with a transport', () => {
    expect(() => new AsynchronousDelivery({ transport: echoTransport() })).toThrow(/registry/);
  });
});
