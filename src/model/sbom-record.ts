import type { SbomFormat } from './sbom.js';
import type { SbomIssue } from './sbom-issue.js';

/** An organisation as patchpath knows it (vendors, later operators and procurement). */
export interface Organisation {
  id: number;
  kind: 'vendor' | 'operator' | 'procurement' | 'admin';
  name: string;
  nameKey: string;
}

/** How sbom_content holds a document's bytes: brotli, or gzip for those stored before migration 202612020910, or identity. */
export type ContentEncoding = 'identity' | 'gzip' | 'br';

/** What patchpath keeps about one accepted SBOM document (not its components). */
export interface SbomRecord {
  id: number;
  sha256: string;
  byteSize: number;
  /** How the original bytes are kept (they are always given back as sent). */
  contentEncoding: ContentEncoding;
  format: SbomFormat;
  specVersion: string;
  serialNumber?: string;
  documentVersion?: number;
  name?: string;
  /** The document's own creation time as written, and parsed where it could be. */
  createdText?: string;
  createdAt?: Date;
  authors: { name: string; kind?: string; email?: string }[];
  tools: { name: string; vendor?: string; version?: string }[];
  /** When in its lifecycle the document was made (ParsedSbom `lifecycles`); empty when it does not say. */
  lifecycles: string[];
  subject?: { name?: string; version?: string; purl?: string };
  /** The vendor whose product the document describes (its subject's supplier). */
  organisationId?: number;
  schemaValid: boolean;
  ingestedStrict: boolean;
  componentCount: number;
  relationshipCount: number;
  issueCount: number;
  ingestedAt: Date;
}

/** A stored component, located by its document and position. */
export interface StoredComponent {
  sbomId: number;
  index: number;
  ref: string;
  isSubject: boolean;
  parentIndex?: number;
  type?: string;
  group?: string;
  name: string;
  version?: string;
  description?: string;
  purl?: string;
  purlKey?: string;
  cpe?: string;
  supplierId?: number;
  supplierName?: string;
  manufacturerName?: string;
  author?: string;
  licenseExpression?: string;
  licenses: { expression?: string; name?: string; kind?: string }[];
  externalReferences: { type: string; url: string }[];
  copyright?: string;
  scope?: string;
}

export type IngestOutcome =
  | { status: 'accepted'; record: SbomRecord; issues: SbomIssue[] }
  | { status: 'duplicate'; record: SbomRecord }
  | { status: 'rejected'; format?: SbomFormat; specVersion?: string; issues: SbomIssue[] };
