import { createGraphQLError } from 'graphql-yoga';

/** A client error: the message names the argument, the value and the rule; never masked. */
export function badUserInput(message: string) {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
