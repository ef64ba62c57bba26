/**
 * A problem found in a submitted document. Problems are data, not exceptions: parsers collect every one
 * they find and return them (CycloneDX `validate()` style), so the uploader sees all of them at once.
 */
export type SbomIssueCode =
  | 'EMPTY_DOCUMENT'
  | 'NOT_AN_SBOM'
  | 'UNSUPPORTED_FORMAT'
  | 'UNSUPPORTED_SPEC_VERSION'
  | 'SYNTAX_ERROR'
  | 'INVALID_ENCODING'
  | 'FORBIDDEN_XML_CONSTRUCT'
  | 'LIMIT_EXCEEDED'
  | 'SCHEMA_VIOLATION'
  | 'INVALID_LICENSE'
  | 'INVALID_PURL'
  | 'INVALID_CPE'
  | 'DUPLICATE_REF'
  | 'DANGLING_REF'
  | 'MISSING_FIELD'
  | 'NOT_AN_ADVISORY'
  | 'INVALID_VERSION_RANGE'
  | 'AMBIGUOUS_VERSION'
  | 'INCONSISTENT_STATEMENT'
  | 'UNKNOWN_STATUS'
  | 'INVALID_SCORE';

/**
 * `error`: the document cannot be read as an SBOM (always rejected), or, for SCHEMA_VIOLATION, breaks its
 * schema (rejected in strict mode only). `warning`: recorded against the document, never rejects it.
 */
export type SbomIssueSeverity = 'error' | 'warning';

export interface SbomIssue {
  code: SbomIssueCode;
  severity: SbomIssueSeverity;
  /** JSON pointer (`/components/3/purl`) for JSON documents, `line N` (optionally `line N, column M`) otherwise. */
  path: string;
  /** Names the value and the rule, e.g. `component '/components/3' has purl 'pkg:npm/' with no name`. */
  message: string;
}

export function sbomIssue(code: SbomIssueCode, path: string, message: string, severity: SbomIssueSeverity = 'error'): SbomIssue {
  return { code, severity, path, message };
}
