import type { SbomRecord } from '../model/sbom-record.js';
import type { SbomIssue } from '../model/sbom-issue.js';

/** The REST shape of a stored SBOM: `components` is the number of components, as pipelines expect. */
export function sbomRecordToJson(record: SbomRecord, issues?: SbomIssue[]) {
  return {
    id: record.id,
    format: record.format,
    specVersion: record.specVersion,
    components: record.componentCount,
    relationships: record.relationshipCount,
    schemaValid: record.schemaValid,
    sha256: record.sha256,
    byteSize: record.byteSize,
    serialNumber: record.serialNumber ?? null,
    documentVersion: record.documentVersion ?? null,
    name: record.name ?? null,
    subject: record.subject ?? null,
    supplierId: record.organisationId ?? null,
    createdAt: record.createdAt?.toISOString() ?? record.createdText ?? null,
    lifecycles: record.lifecycles,
    ingestedAt: record.ingestedAt.toISOString(),
    issueCount: record.issueCount,
    ...(issues ? { issues } : {}),
    links: { self: `/v1/sboms/${record.id}`, raw: `/v1/sboms/${record.id}/raw` },
  };
}
