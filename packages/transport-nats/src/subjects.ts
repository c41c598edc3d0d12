import { compilePattern, routingKeyOf, type AnyEvent } from '@eventwire/core';

/**
 * The subject an event is published on: `<prefix>.<aggregateType>.<type>` (its routing key under
 * the prefix), so a routing-key pattern such as `Order.*` is also a subject filter. Characters a
 * subject cannot hold (whitespace, `*`, `>`) become `_`; the true type travels in the payload.
 *
 * @example
 * ```ts
 * subjectOf('events', OrderPlaced.create(data)); // 'events.Order.OrderPlaced'
 * ```
 */
export function subjectOf(prefix: string, event: Pick<AnyEvent, 'type' | 'aggregateType'>): string {
  return `${prefix}.${routingKeyOf(event).split('.').map(sanitizeToken).join('.')}`;
}

/**
 * The subject filter of a routing-key pattern (`Order.*`, `*.OrderPlaced`, `>`): the same
 * token semantics as the bus's pattern subscriptions.
 * @throws {EventwireError} `INVALID_ARGUMENT` on a malformed pattern
 *
 * @example
 * ```ts
 * filterSubjectOf('events', 'Order.*'); // 'events.Order.*'
 * ```
 */
export function filterSubjectOf(prefix: string, pattern: string): string {
  compilePattern(pattern); // validates
  return `${prefix}.${pattern}`;
}

function sanitizeToken(token: string): string {
  return token === '' ? '_' : token.replace(/[\s*>]/g, '_');
}
