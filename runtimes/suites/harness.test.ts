import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The harness checks itself in every runtime: a test that should fail must be able to fail. */
describe('the portable harness', () => {
  const order: string[] = [];
  beforeEach(() => void order.push('before'));
  afterEach(() => void order.push('after'));

  it.fails('fails a test whose expectation does not hold', () => {
    expect({ a: 1 }).toEqual({ a: 2 });
  });

  it.fails('fails a test whose promise rejects', async () => {
    await Promise.reject(new Error('boom'));
  });

  it('runs beforeEach and afterEach around each test', () => {
    expect(order.slice(-1)).toEqual(['before']);
    expect(order.filter((step) => step === 'before').length).toBe(order.filter((step) => step === 'after').length + 1);
  });

  it('has the matchers the suites use: objects, asymmetric, throws, resolves, rejects', async () => {
    expect({ id: 'x', data: { n: 1 } }).toMatchObject({ data: { n: 1 } });
    expect([1, 2, 3]).toEqual(expect.arrayContaining([3, 1]));
    expect({ code: 'TIMEOUT' }).toEqual(expect.objectContaining({ code: expect.any(String) }));
    expect(() => JSON.parse('{')).toThrow(SyntaxError);
    await expect(Promise.resolve(5)).resolves.toBe(5);
    await expect(Promise.reject(new Error('no'))).rejects.toThrow('no');
  });

  it('records calls with vi.fn and waits with expect.poll and vi.waitFor', async () => {
    const handler = vi.fn((n: number) => n * 2);
    handler(2);
    expect(handler).toHaveBeenCalledWith(2);
    expect(handler).toHaveReturnedWith(4);
    let ready = false;
    setTimeout(() => (ready = true), 20);
    await expect.poll(() => ready).toBe(true);
    await vi.waitFor(() => expect(ready).toBe(true));
  });

  it('counts assertions with expect.assertions', () => {
    expect.assertions(1);
    expect(true).toBe(true);
  });
});
