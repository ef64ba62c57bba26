/**
 * @module
 * Request body limits per kind of route, as hono middlewares that answer 413 before the handler runs, with a
 * JSON error naming the route, the limit and the setting that raises it:
 *
 * | body | limit | where |
 * |---|---|---|
 * | SBOM, advisory and inventory uploads | `PATCHPATH_MAX_UPLOAD_BYTES` | enforced while reading (read-body.ts spools large bodies to disk); {@link uploadBodyLimit} for other upload routes |
 * | GraphQL multipart upload (`ingestSbom(file:)`) | `PATCHPATH_MAX_UPLOAD_BYTES` | {@link graphqlBodyLimit} |
 * | any other GraphQL request | `PATCHPATH_GRAPHQL_MAX_BODY_BYTES` (and never above the upload limit) | {@link graphqlBodyLimit} |
 * | JSON body of any other REST route | {@link DEFAULT_JSON_BODY_BYTES} | {@link jsonBodyLimit} |
 *
 * Each checks Content-Length first, then counts a chunked body as it arrives (hono's `bodyLimit`), so a lying
 * or missing Content-Length gets the same answer.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sbomIssue } from '../model/sbom-issue.js';

/**
 * A GraphQL query with its variables, or an SBOM or advisory given as a string argument: 16 MiB holds a
 * CycloneDX document of about 100 000 components. Larger documents go as a multipart upload or to the REST upload
 * routes, which spool to disk instead of holding the JSON text and its parse in memory.
 */
export const DEFAULT_GRAPHQL_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** JSON bodies of REST routes that are not uploads (settings, tokens, grants): small by nature. */
export const DEFAULT_JSON_BODY_BYTES = 1024 * 1024;

const route = (c: Context) => `${c.req.method} ${c.req.path}`;

function tooLarge(c: Context, maxBytes: number, setting: string | undefined) {
  const raise = setting ? `; raise ${setting} to accept it` : '';
  return `request body of ${route(c)} is larger than the limit of ${maxBytes} bytes${raise}`;
}

/** 413 `{ error: { status, message } }`, the shape of every other REST error. */
export function jsonBodyLimit(maxBytes = DEFAULT_JSON_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: (c) => c.json({ error: { status: 413, message: tooLarge(c, maxBytes, undefined) } }, 413) });
}

/** 413 `{ issues: [LIMIT_EXCEEDED] }`, the shape of the upload routes' own answer (read-body.ts). */
export function uploadBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => c.json({ issues: [sbomIssue('LIMIT_EXCEEDED', '', tooLarge(c, maxBytes, 'PATCHPATH_MAX_UPLOAD_BYTES'))] }, 413),
  });
}

/**
 * /graphql: a multipart request (the GraphQL multipart request spec, a file upload) may be as large as an upload;
 * anything else (a JSON or GET query) up to `maxBytes`, and no more than an upload either (a document sent as a
 * string argument is held to the upload limit too). 413 as a GraphQL error: `{ errors: [{ message,
 * extensions: { code: 'PAYLOAD_TOO_LARGE', limit } }] }`.
 */
export function graphqlBodyLimit(options: { maxBytes: number; uploadMaxBytes: number }): MiddlewareHandler {
  const limit = (maxBytes: number, setting: string, hint: string) =>
    bodyLimit({
      maxSize: maxBytes,
      onError: (c) => c.json({ errors: [{ message: tooLarge(c, maxBytes, setting) + hint, extensions: { code: 'PAYLOAD_TOO_LARGE', limit: maxBytes } }] }, 413),
    });
  const query =
    options.maxBytes < options.uploadMaxBytes
      ? limit(options.maxBytes, 'PATCHPATH_GRAPHQL_MAX_BODY_BYTES', ', or send the document as a multipart file upload')
      : limit(options.uploadMaxBytes, 'PATCHPATH_MAX_UPLOAD_BYTES', '');
  const upload = limit(options.uploadMaxBytes, 'PATCHPATH_MAX_UPLOAD_BYTES', '');
  return async function graphqlBodyLimit(c, next) {
    const multipart = (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
    return (multipart ? upload : query)(c, next);
  };
}
