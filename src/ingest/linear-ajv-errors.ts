/**
 * @module
 * ajv with `allErrors` collects the errors of a referenced schema (`$ref`: a component inside `components`, a
 * component nested in another) and of a custom keyword with `vErrors = vErrors.concat(sub.errors)`: a new array each
 * time, so a document with n errors cost n²/2 copies. 20,000 invalid components (0.7 MB of JSON) took 3.3 s to
 * validate and 100,000 (3.4 MB) took 112 s, all on the event loop. This rewrites that one statement of the code ajv
 * generates (ajv's `code.process` option) to append in place, in linear time; the errors and their order are the same.
 */

/** The code ajv generates to collect a sub-schema's errors (ajv 8: `vocabularies/core/ref.js`, `compile/validate/keyword.js`). */
const CONCAT = /vErrors === null \? ([\w$.]+) : vErrors\.concat\(\1\)/g;

/**
 * Appends in place. `vErrors` may be the array a sub-schema's call left on its function's `errors`; that function
 * replaces it on its next call, so nothing else reads it by then.
 */
const APPEND = 'function appendErrors(to, from) { for (let i = 0; i < from.length; i++) to.push(from[i]); return to; }';

/**
 * ajv's `code.process`: the generated source with every `concat` of collected errors replaced by an in-place append.
 *
 * @throws Error when the source has no such statement but ajv 8's marker of one (`.concat(`) is there: a newer ajv
 *   writes it differently, and the quadratic collection would come back unnoticed.
 * @example
 * new Ajv({ allErrors: true, code: { process: linearAjvErrors } })
 */
export function linearAjvErrors(source: string): string {
  let replaced = 0;
  const out = source.replace(CONCAT, (_all, errors: string) => {
    replaced++;
    return `vErrors === null ? ${errors} : appendErrors(vErrors, ${errors})`;
  });
  if (replaced === 0) {
    if (/vErrors\.concat\(/.test(source)) throw new Error('linearAjvErrors: ajv collects errors with a concat this rewrite does not recognise');
    return source;
  }
  return `${APPEND}\n${out}`;
}
