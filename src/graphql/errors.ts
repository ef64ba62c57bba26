import { createGraphQLError } from 'graphql-yoga';

/**
 * A client error: the message names the argument, the value and the rule; never masked. `details` go into the
 * extensions beside the code (e.g. `issues`, every problem of a refused document).
 */
export function badUserInput(message: string, details: Record<string, unknown> = {}) {
  return createGraphQLError(message, { extensions: { ...details, code: 'BAD_USER_INPUT' } });
}
