import { describe, expect, it } from 'vitest';
import { RecordingEventBus } from '../recordingBus.js';
import { testEventBusContract } from '../busContract.js';
import { placed, registered, TestOrderPlaced, TestUserRegistered, TestOrderShipped } from '../fixtures.js';

testEventBusContract('RecordingEventBus', () => new RecordingEventBus({ onHandlerError: () => {} }));

describe('RecordingEventBus', () => {
  it('records what was published, in order, and still delivers it', async () => {
    const bus = new RecordingEventBus();
    let delivered = 0;
    bus.subscribe(TestOrderPlaced, () => void delivered++);
    const first = placed('Ada', 10);
    await bus.publish([first, registered('Bob')]);
    bus.publishSync(placed('Cy', 5));
    expect(bus.callCount).toBe(3);
    expect(bus.published[0]).toBe(first);
    expect(delivered).toBe(2);
    expect(bus.publishedOf(TestOrderPlaced).map((event) => event.data.customerName)).toEqual(['Ada', 'Cy']);
  });

  it('assertPublished finds an event by type and fields and returns it', async () => {
    const bus = new RecordingEventBus();
    await bus.publish([placed('Ada', 10), placed('Bob', 20)]);
    expect(bus.assertPublished(TestOrderPlaced, { customerName: 'Bob' }).data.totalAmount).toBe(20);
    expect(bus.assertPublished(TestOrderPlaced).data.customerName).toBe('Ada');
  });

  it('assertPublished fails with a message that shows what was published', async () => {
    const bus = new RecordingEventBus();
    await bus.publish([placed('Ada', 10), registered('Bob')]);
    expect(() => bus.assertPublished(TestOrderPlaced, { customerName: 'Zed' })).toThrow(
      /Expected TestOrderPlaced with \{"customerName":"Zed"\}[\s\S]*"customerName":"Ada"[\s\S]*All published: TestOrderPlaced, TestUserRegistered/,
    );
    expect(() => bus.assertPublished(TestOrderShipped)).toThrow(/No TestOrderShipped was published/);
    expect(() => bus.assertNotPublished(TestUserRegistered)).toThrow(/Expected no TestUserRegistered/);
    bus.assertNotPublished(TestOrderShipped);
  });

  it('does not record a publish that was refused', async () => {
    const bus = new RecordingEventBus();
    await expect(bus.publish({ nope: true } as never)).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    await expect(bus.publish([placed(), { nope: true }] as never)).rejects.toMatchObject({ code: 'INVALID_EVENT' });
    expect(bus.callCount).toBe(0);
    bus.clearPublished();
  });
});
