import { EventwireError } from './errors.js';
import type { SubscriptionKind } from './inspection.js';

/**
 * What a subscription key subscribes to: every event (`*` or `>` alone), the routing keys a
 * pattern matches (`Order.*`), or one type name.
 */
export function kindOfKey(key: string): SubscriptionKind {
  if (key === '*' || key === '>') return 'wildcard';
  return key.includes('*') || key.includes('>') ? 'pattern' : 'type';
}

/**
 * Compiles a routing-key pattern, with NATS subject semantics so the same pattern works on
 * the brokers: tokens are separated by `.`, `*` matches one token, `>` (last) matches the rest.
 *
 * @example
 * ```ts
 * const matches = compilePattern('Order.*');
 * matches('Order.OrderPlaced'); // true
 * ```
 */
export function compilePattern(pattern: string): (routingKey: string) => boolean {
  const tokens = pattern.split('.');
  tokens.forEach((token, index) => {
    const misplacedTail = token === '>' && index !== tokens.length - 1;
    const partialWildcard = token !== '*' && token !== '>' && /[*>]/.test(token);
    if (token === '' || misplacedTail || partialWildcard) {
      throw new EventwireError('INVALID_ARGUMENT', `"${pattern}" is not a valid pattern: use tokens separated by ".", "*" for one token, ">" last for the rest`);
    }
  });
  return (routingKey) => matchTokens(tokens, routingKey.split('.'));
}

function matchTokens(pattern: readonly string[], key: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const token = pattern[i];
    if (token === '>') return key.length > i;
    if (i >= key.length || (token !== '*' && token !== key[i])) return false;
  }
  return pattern.length === key.length;
}
