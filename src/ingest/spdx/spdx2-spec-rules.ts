/**
 * @module
 * SPDX 2.x rules that the JSON schema does not state but the specification does, checked on the JSON shape of
 * the document ({@link Spdx2Document}) whatever its serialisation. Tag-value and RDF have no official schema,
 * so for them the mandatory fields of the spec are checked here too.
 *
 * Errors (SCHEMA_VIOLATION, severity `error`: read, but schemaValid false) are the rules whose breach leaves an
 * element without identity or a document without a readable date: a document SPDXID other than SPDXRef-DOCUMENT,
 * package SPDXIDs missing or not starting `SPDXRef-`, a `created` that is present but no date-time, and (tag-value,
 * RDF) the mandatory fields of document, packages, files and snippets. Some breaches are only warnings, because
 * published tools write them and the corpus lists such documents as valid: other characters than letters, digits,
 * `.` and `-` after `SPDXRef-` (Tern), file and snippet SPDXIDs that are bare hashes (syft before 0.34), and a
 * tag-value/RDF document without Created or with an empty DocumentNamespace (Kubernetes bom fat SBOMs).
 */
import { sbomIssue, type SbomIssue } from '../../model/sbom-issue.js';
import { describeValue } from '../ajv-issue.js';
import type { Spdx2Locator } from './spdx2-document.js';

/** SPDX 2.3 clause 6.3 / 7.2: `SPDXRef-` followed by letters, digits, `.` and `-`. */
export const SPDX2_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;

/**
 * SPDX 2.3 clause 6.9: `YYYY-MM-DDThh:mm:ssZ`. Fractional seconds and numeric offsets are accepted as well:
 * real tools (syft, Microsoft sbom-tool, Tern) write them, and they still name one instant unambiguously.
 */
export const SPDX2_CREATED = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export interface Spdx2RuleOptions {
  locate: Spdx2Locator;
  /** Check the fields the spec makes mandatory (tag-value and RDF, which no schema covers). */
  mandatoryFields: boolean;
  /** `tag-value`, `RDF/XML` or `JSON`, named in messages. */
  serialisation: string;
}

type Json = Record<string, unknown>;

/**
 * Every breach of the rules above in one document: errors (the schema verdict is false when there is one) and
 * warnings. Never throws, whatever the document holds.
 *
 * @example
 * checkSpdx2SpecRules(doc, { locate: (p) => p, mandatoryFields: false, serialisation: 'JSON' })
 * // [{ code: 'SCHEMA_VIOLATION', path: '/creationInfo/created', message: "creationInfo.created '' is not ..." }]
 */
export function checkSpdx2SpecRules(doc: Json, options: Spdx2RuleOptions): SbomIssue[] {
  const { locate, mandatoryFields, serialisation } = options;
  const issues: SbomIssue[] = [];
  const violation = (pointer: string, message: string, severity: 'error' | 'warning' = 'error') =>
    issues.push(sbomIssue('SCHEMA_VIOLATION', locate(pointer), message, severity));
  const missing = (pointer: string, what: string, field: string) =>
    violation(pointer, `${what} has no ${field}, which SPDX ${serialisation} requires (SPDX 2 spec, mandatory field)`);

  if (doc.SPDXID !== undefined && doc.SPDXID !== 'SPDXRef-DOCUMENT') {
    violation('/SPDXID', `document SPDXID ${describeValue(doc.SPDXID)} is not 'SPDXRef-DOCUMENT' (SPDX 2.3 clause 6.3)`);
  }
  const creationInfo = isObject(doc.creationInfo) ? doc.creationInfo : undefined;
  const created = creationInfo?.created;
  if (created !== undefined && (typeof created !== 'string' || !SPDX2_CREATED.test(created))) {
    violation('/creationInfo/created', `creationInfo.created ${describeValue(created)} is not a UTC date-time like '2024-01-31T12:00:00Z' (SPDX 2.3 clause 6.9)`);
  }

  if (mandatoryFields) {
    const documentFields: [string, string][] = [
      ['spdxVersion', 'SPDXVersion'],
      ['dataLicense', 'DataLicense'],
      ['SPDXID', 'SPDXID'],
      ['name', 'DocumentName'],
    ];
    for (const [key, tag] of documentFields) if (!nonEmpty(doc[key])) missing(`/${key}`, 'the document', tag);
    const creators = creationInfo?.creators;
    if (!Array.isArray(creators) || creators.length === 0) missing('/creationInfo/creators', 'the document', 'Creator');
    if (!nonEmpty(doc.documentNamespace)) {
      issues.push(sbomIssue('MISSING_FIELD', locate('/documentNamespace'), `the document has no DocumentNamespace, which SPDX ${serialisation} requires; other documents cannot refer to it`, 'warning'));
    }
    if (created === undefined) {
      issues.push(sbomIssue('MISSING_FIELD', locate('/creationInfo/created'), `the document has no Created date, which SPDX ${serialisation} requires; its freshness is unknown`, 'warning'));
    }
  }

  checkElements(doc.packages, 'packages', 'package', mandatoryFields ? [['name', 'PackageName'], ['downloadLocation', 'PackageDownloadLocation']] : [], violation, missing);
  checkElements(doc.files, 'files', 'file', mandatoryFields ? [['fileName', 'FileName']] : [], violation, missing);
  checkElements(doc.snippets, 'snippets', 'snippet', mandatoryFields ? [['snippetFromFile', 'SnippetFromFileSPDXID']] : [], violation, missing);
  return issues;
}

function checkElements(
  list: unknown,
  key: string,
  what: string,
  required: [string, string][],
  violation: (pointer: string, message: string, severity?: 'error' | 'warning') => void,
  missing: (pointer: string, what: string, field: string) => void,
): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const element = list[i];
    if (!isObject(element)) continue; // the schema check or the mapping reports it
    const pointer = `/${key}/${i}`;
    const id = element.SPDXID;
    if (id === undefined) {
      // JSON has the schema for this; tag-value and RDF only get here with mandatory fields on (see required).
      if (required.length) missing(`${pointer}/SPDXID`, `${what} '${pointer}'${nameOf(element)}`, 'SPDXID');
    } else if (typeof id !== 'string' || !SPDX2_ID.test(id)) {
      // A package SPDXID that is not even `SPDXRef-<something>` is an error; other characters (Tern writes
      // `SPDXRef-ssl_client-1.29.3-r10`) and files/snippets with bare-hash ids (syft 0.33) only warn.
      const error = what === 'package' && (typeof id !== 'string' || !id.startsWith('SPDXRef-') || id.length === 8);
      violation(
        `${pointer}/SPDXID`,
        `${what} '${pointer}' has SPDXID ${describeValue(id)}, which is not 'SPDXRef-' followed by letters, digits, '.' or '-' (SPDX 2.3 clause ${what === 'package' ? '7.2' : what === 'file' ? '8.2' : '9.1'})`,
        error ? 'error' : 'warning',
      );
    }
    for (const [field, tag] of required) if (!nonEmpty(element[field])) missing(`${pointer}/${field}`, `${what} '${pointer}'${nameOf(element)}`, tag);
  }
}

function nameOf(element: Json): string {
  const name = element.name ?? element.fileName;
  return typeof name === 'string' && name ? ` ('${name}')` : '';
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
