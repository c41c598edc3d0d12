import { defineEvent, type StandardSchemaV1 } from '@eventwire/core';

/**
 * A Standard Schema v1 schema written by hand, so the contract suites depend on no schema
 * library and run in every runtime.
 */
function objectSchema<T extends Record<string, unknown>>(fields: { [K in keyof T]: 'string' | 'number' }): StandardSchemaV1<T> {
  return {
    '~standard': {
      version: 1,
      vendor: 'eventwire-testing',
      validate(value) {
        if (typeof value !== 'object' || value === null) return { issues: [{ message: 'expected an object' }] };
        const issues = Object.entries(fields)
          .filter(([key, kind]) => typeof (value as Record<string, unknown>)[key] !== kind)
          .map(([key, kind]) => ({ message: `expected a ${String(kind)}`, path: [key] }));
        return issues.length > 0 ? { issues } : { value: value as T };
      },
    },
  };
}

/** Event types used by the contract suites: the tutorial's Order domain and an unrelated one. */
export const TestOrderPlaced = defineEvent('TestOrderPlaced', objectSchema<{ customerName: string; totalAmount: number }>({ customerName: 'string', totalAmount: 'number' }), {
  aggregateType: 'TestOrder',
});
export const TestOrderShipped = defineEvent('TestOrderShipped', objectSchema<{ trackingNumber: string }>({ trackingNumber: 'string' }), {
  aggregateType: 'TestOrder',
});
export const TestUserRegistered = defineEvent('TestUserRegistered', objectSchema<{ name: string }>({ name: 'string' }), {
  aggregateType: 'TestUser',
});

/** A new `TestOrderPlaced` event. */
export function placed(customerName = 'Alice', totalAmount = 100, aggregateId = 'order-1') {
  return TestOrderPlaced.create({ customerName, totalAmount }, { aggregateId });
}

/** A new `TestOrderShipped` event. */
export function shipped(trackingNumber = 'TRACK-1', aggregateId = 'order-1') {
  return TestOrderShipped.create({ trackingNumber }, { aggregateId });
}

/** A new `TestUserRegistered` event. */
export function registered(name = 'Bob') {
  return TestUserRegistered.create({ name }, { aggregateId: `user-${name}` });
}

/** Test schema helper, exported for other suites. */
export { objectSchema };
