import { expect, it, vi } from 'vitest';

it('the README quickstart runs and prints what it says', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import('./quickstart.js');
  expect(log.mock.calls).toEqual([
    ['Alice ordered $99.99'],
    ['[audit] OrderPlaced on order-1'],
    [{ eventsPublished: 1, handlersInvoked: 2, handlerErrors: 0, backgroundTasksCreated: 0, backgroundTasksCompleted: 0 }],
  ]);
  log.mockRestore();
});
