/**
 * @module
 * Text -> parsed JSON for every JSON document patchpath reads (SBOMs and advisories alike): the nesting limit checked
 * on the text before JSON.parse builds anything, a syntax error located by line and column (also where V8 gives no
 * position), and a complete document followed by junk (a web page footer pasted after it, seen in the wild) read,
 * with the junk recorded as a problem.
 */
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';
import { lineColumnAt } from './decode-text.js';
import { jsonErrorOffset } from './json-error-offset.js';

export type ReadJson = { kind: 'json'; doc: unknown; trailing?: SbomIssue } | { kind: 'rejected'; issues: SbomIssue[] };

export function readJsonText(text: string, maxDepth: number): ReadJson {
  const depth = jsonNestingDepth(text, maxDepth);
  if (depth.exceededAt !== undefined) {
    const { line, column } = lineColumnAt(text, depth.exceededAt);
    return { kind: 'rejected', issues: [sbomIssue('LIMIT_EXCEEDED', `line ${line}, column ${column}`, `JSON nesting goes deeper than the limit of ${maxDepth} levels`)] };
  }
  try {
    return { kind: 'json', doc: JSON.parse(text) };
  } catch (e) {
    const m = /^Unexpected non-whitespace character after JSON at position (\d+)/.exec((e as Error).message);
    if (m) {
      const end = Number(m[1]);
      try {
        const doc: unknown = JSON.parse(text.slice(0, end));
        const { line, column } = lineColumnAt(text, end);
        const trailing = sbomIssue('SYNTAX_ERROR', `line ${line}, column ${column}`, `content after the end of the JSON document ('${text.slice(end, end + 40).trim()}...') is not JSON; only the document before it was read`);
        return { kind: 'json', doc, trailing };
      } catch {
        // the part before the junk is no JSON either: report the syntax error of the whole text
      }
    }
    return { kind: 'rejected', issues: [jsonSyntaxIssue(text, e as Error)] };
  }
}

function jsonSyntaxIssue(text: string, e: Error): SbomIssue {
  const m = /at position (\d+)/.exec(e.message);
  const offset = m ? Number(m[1]) : /end of JSON input|Unterminated/.test(e.message) ? text.length : jsonErrorOffset(text);
  const where = offset === undefined ? '' : (({ line, column }) => `line ${line}, column ${column}`)(lineColumnAt(text, offset));
  const truncated = offset !== undefined && offset >= text.trimEnd().length;
  return sbomIssue('SYNTAX_ERROR', where, truncated ? `JSON ends early (truncated document?): ${e.message}` : `JSON syntax error: ${e.message}`);
}

/**
 * Depth of `{`/`[` nesting outside strings; stops at the first place deeper than `max`. Strings are skipped with
 * indexOf, which finds the closing quote natively: most of a document is string content, so this is about three
 * times as fast as looking at every character. A quote is escaped exactly when an odd run of backslashes stands
 * before it (the run cannot reach past the opening quote), which is what reading escapes left to right decides.
 */
export function jsonNestingDepth(text: string, max: number): { exceededAt?: number } {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // to the closing quote; a string that never closes holds the rest of the text, so nothing deeper follows
      for (;;) {
        const close = text.indexOf('"', i + 1);
        if (close === -1) return {};
        let backslash = close - 1;
        while (text.charCodeAt(backslash) === 0x5c) backslash--;
        i = close;
        if ((close - 1 - backslash) % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return { exceededAt: i };
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return {};
}
