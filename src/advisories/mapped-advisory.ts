import type { ParsedAdvisory } from '../model/advisory.js';
import type { SbomIssue } from '../model/sbom-issue.js';

/**
 * What a format's mapper returns: the advisory without what parseAdvisory settles (format, spec version, schema
 * verdict), plus the problems met while mapping (warnings: dangling product ids, unreadable ranges, ...).
 */
export type MappedAdvisory = Omit<ParsedAdvisory, 'format' | 'specVersion' | 'schemaValid' | 'issues'> & { issues: SbomIssue[] };
