/**
 * Row types of every table, one interface per table, spelled as in migrations/*.sql so the two read 1:1.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ContentEncoding } from '../model/sbom-record.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganisationTable {
  id: Generated<number>;
  kind: ColumnType<'vendor' | 'operator' | 'procurement' | 'admin', string | undefined, string>;
  name: string;
  name_key: string;
  created_at: Generated<Date>;
}

export interface OrganisationAliasTable {
  name_key: string;
  organisation_id: number;
  name: string;
}

export interface SbomTable {
  id: Generated<number>;
  organisation_id: number | null;
  sha256: string;
  byte_size: number;
  content_encoding: ColumnType<ContentEncoding, ContentEncoding | undefined, never>;
  format: string;
  spec_version: string;
  serial_number: string | null;
  document_version: number | null;
  name: string | null;
  document_created_text: string | null;
  document_created_at: Date | null;
  authors: Json<unknown[]>;
  tools: Json<unknown[]>;
  /** Generation context: CycloneDX lifecycle phases / names, SPDX 3 sbomType values (migrations/202611301000). */
  lifecycles: Generated<string[]>;
  subject_name: string | null;
  subject_version: string | null;
  subject_purl: string | null;
  schema_valid: boolean;
  ingested_strict: boolean;
  component_count: number;
  relationship_count: number;
  issue_count: number;
  ingested_at: Timestamp;
  stitched: Generated<boolean>;
}

export interface SbomContentTable {
  sbom_id: number;
  organisation_id: number | null;
  seq: number;
  data: Uint8Array;
}

export interface SbomIssueTable {
  sbom_id: number;
  organisation_id: number | null;
  seq: number;
  code: string;
  severity: string;
  path: string;
  message: string;
}

export interface SbomDocumentReferenceTable {
  sbom_id: number;
  organisation_id: number | null;
  seq: number;
  ref_id: string;
  target: string;
  checksum_alg: string | null;
  checksum_value: string | null;
}

export interface ComponentTable {
  sbom_id: number;
  idx: number;
  organisation_id: number | null;
  parent_idx: number | null;
  bom_ref: string;
  is_subject: boolean;
  type: string | null;
  group_name: string | null;
  name: string;
  version: string | null;
  description: string | null;
  purl: string | null;
  purl_type: string | null;
  purl_namespace: string | null;
  purl_name: string | null;
  purl_version: string | null;
  purl_key: string | null;
  cpe: string | null;
  supplier_id: number | null;
  supplier_name: string | null;
  manufacturer_name: string | null;
  author: string | null;
  license_expression: string | null;
  licenses: Json<unknown[]>;
  external_references: Json<unknown[]>;
  copyright: string | null;
  scope: string | null;
}

export interface ComponentHashTable {
  sbom_id: number;
  organisation_id: number | null;
  idx: number;
  alg: string;
  value: string;
}

export interface ComponentEdgeTable {
  sbom_id: number;
  organisation_id: number | null;
  from_idx: number;
  type: string;
  original_type: string;
  to_idx: number[];
}

export interface SbomSubjectTable {
  sbom_id: number;
  organisation_id: number | null;
  idx: number;
  document_uri: string | null;
  element_uri: string | null;
  purl_key: string | null;
  purl_product: string | null;
  cpe: string | null;
  cpe_product: string | null;
  supplier_id: number | null;
  name_key: string;
  version: string | null;
  version_sort: string | null;
  created_at: Date | null;
}

export interface SbomSubjectHashTable {
  sbom_id: number;
  value: string;
}

export type LinkRule = 'BOM_LINK' | 'PURL' | 'CPE' | 'SUPPLIER_NAME_VERSION' | 'HASH';

export interface ComponentLinkTable {
  sbom_id: number;
  idx: number;
  organisation_id: number | null;
  target_sbom_id: number;
  rule: LinkRule;
  rule_rank: number;
  same_version: boolean;
  pinned: Generated<boolean>;
  latest: Generated<boolean>;
}

export interface StackTable {
  id: Generated<number>;
  slug: string;
  name: string;
  vendor_name: string;
  status: string;
  status_note: string | null;
  aliases: string[];
  purls: string[];
  cpes: string[];
  derived_from: string | null;
  relation: string | null;
  disclosures: Json<string[]>;
  notes: string | null;
  sources: Json<Record<string, string[]>>;
  builtin: boolean;
  organisation_id: number | null;
  created_at: Generated<Date>;
}

export interface StackIdentifierTable {
  stack_id: number;
  kind: string;
  value: string;
}

export interface ComponentStackTable {
  sbom_id: number;
  idx: number;
  stack_id: number;
  organisation_id: number | null;
  matched_by: string;
}

export interface AdvisoryTable {
  id: Generated<number>;
  organisation_id: number | null;
  sha256: string;
  byte_size: number;
  format: string;
  spec_version: string | null;
  document_id: string | null;
  document_version: string | null;
  title: string | null;
  publisher_name: string | null;
  publisher_namespace: string | null;
  publisher_category: string | null;
  published_text: string | null;
  published_at: Date | null;
  modified_text: string | null;
  modified_at: Date | null;
  schema_valid: boolean;
  ingested_strict: boolean;
  vulnerability_count: number;
  statement_count: number;
  issue_count: number;
  ingested_at: Timestamp;
}

export interface AdvisoryContentTable {
  advisory_id: number;
  organisation_id: number | null;
  data: Uint8Array;
}

export interface AdvisoryIssueTable {
  advisory_id: number;
  organisation_id: number | null;
  seq: number;
  code: string;
  severity: string;
  path: string;
  message: string;
}

export interface AdvisoryVulnerabilityTable {
  advisory_id: number;
  organisation_id: number | null;
  seq: number;
  vulnerability_id: string;
  aliases: string[];
  title: string | null;
  summary: string | null;
  published_text: string | null;
  modified_text: string | null;
  cvss: Json<unknown[]>;
  cvss_max: string | null;
  cwes: string[];
  reference_urls: string[];
}

export interface VulnerabilityAliasTable {
  alias: string;
  vulnerability_id: string;
}

export interface VexStatementTable {
  advisory_id: number;
  organisation_id: number | null;
  seq: number;
  vulnerability_id: string;
  product_ref: string | null;
  purl: string | null;
  purl_key: string | null;
  purl_product: string | null;
  cpe: string | null;
  cpe_product: string | null;
  vendor_name: string | null;
  vendor_id: number | null;
  product_name: string | null;
  name_key: string | null;
  version: string | null;
  versions: string[];
  ranges: Json<unknown[]>;
  status: string;
  status_original: string;
  justification: string | null;
  justification_original: string | null;
  impact_statement: string | null;
  action_statement: string | null;
  remediations: Json<unknown[]>;
  recommended: boolean;
  stated_text: string | null;
  stated_at: Date | null;
  path: string;
}

export interface DeviceTable {
  id: Generated<number>;
  organisation_id: number;
  asset_tag: string;
  vendor_name: string | null;
  vendor_key: string | null;
  model: string | null;
  name_key: string | null;
  purl: string | null;
  purl_key: string | null;
  purl_product: string | null;
  cpe: string | null;
  cpe_product: string | null;
  firmware_version: string | null;
  firmware_sort: string | null;
  location: string | null;
  segment: string | null;
  criticality: 'critical' | 'high' | 'medium' | 'low' | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  organisation_id: number;
  role: string;
  name: Generated<string>;
  token_hash: string;
  token_prefix: string;
  created_at: Generated<Date>;
  created_by: number | null;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface UploadGrantTable {
  id: Generated<number>;
  grantee_id: number;
  supplier_id: number;
  granted_at: Generated<Date>;
  granted_by: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  token_id: number | null;
  organisation_id: number | null;
  role: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: ColumnType<unknown, string | undefined, never>;
  request_id: string | null;
}

export interface ScorecardSnapshotTable {
  organisation_id: number;
  method: string;
  taken_on: ColumnType<string, string, string>;
  taken_at: Date;
  verdict: 'SCORED' | 'INSUFFICIENT_EVIDENCE';
  /** numeric: read as text by pg. */
  score: ColumnType<string | null, number | null, number | null>;
  parts: ColumnType<unknown, string, string>;
}

export interface ScorecardSnapshotRunTable {
  method: string;
  taken_on: ColumnType<string, string, string>;
  started_at: Date;
  finished_at: Date | null;
  vendors: number | null;
}

export interface Database {
  organisation: OrganisationTable;
  organisation_alias: OrganisationAliasTable;
  sbom: SbomTable;
  sbom_content: SbomContentTable;
  sbom_issue: SbomIssueTable;
  sbom_document_reference: SbomDocumentReferenceTable;
  component: ComponentTable;
  component_hash: ComponentHashTable;
  component_edge: ComponentEdgeTable;
  sbom_subject: SbomSubjectTable;
  sbom_subject_hash: SbomSubjectHashTable;
  component_link: ComponentLinkTable;
  stack: StackTable;
  stack_identifier: StackIdentifierTable;
  component_stack: ComponentStackTable;
  advisory: AdvisoryTable;
  advisory_content: AdvisoryContentTable;
  advisory_issue: AdvisoryIssueTable;
  advisory_vulnerability: AdvisoryVulnerabilityTable;
  vulnerability_alias: VulnerabilityAliasTable;
  vex_statement: VexStatementTable;
  device: DeviceTable;
  api_token: ApiTokenTable;
  upload_grant: UploadGrantTable;
  audit_log: AuditLogTable;
  scorecard_snapshot: ScorecardSnapshotTable;
  scorecard_snapshot_run: ScorecardSnapshotRunTable;
}

export type AdvisoryRow = Selectable<AdvisoryTable>;

export type DeviceRow = Selectable<DeviceTable>;

export type StackRow = Selectable<StackTable>;

export type SbomRow = Selectable<SbomTable>;
export type ComponentRow = Selectable<ComponentTable>;
export type OrganisationRow = Selectable<OrganisationTable>;
export type InsertableSbomRow = Insertable<SbomTable>;
