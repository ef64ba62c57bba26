import type { Component, Party } from '../../model/sbom.js';
import type { SbomIssue } from '../../model/sbom-issue.js';
import { capIssues } from '../ajv-issue.js';

/** What reading the elements of an SPDX document (2.x or 3) found wrong with them, each kind capped. */
export function elementIssues(found: { duplicates: SbomIssue[]; dangling: SbomIssue[]; licenseWarnings: SbomIssue[] }, idName: string): SbomIssue[] {
  return [
    ...capIssues(found.duplicates, 'DUPLICATE_REF', `repeated ${idName}s`),
    ...capIssues(found.dangling, 'DANGLING_REF', 'dangling refs'),
    ...capIssues(found.licenseWarnings, 'INVALID_LICENSE', 'invalid licence expressions'),
  ];
}

/** The document's supplier: the first subject's that names one. */
export function subjectSupplier(subjects: Iterable<string>, byRef: Map<string, Component>): Party | undefined {
  for (const ref of subjects) {
    const supplier = byRef.get(ref)?.supplier;
    if (supplier) return supplier;
  }
  return undefined;
}
