/**
 * @module
 * The format-neutral model of advisories and VEX (DOMAIN.md "Documents in": OSV JSON, CSAF 2.0 security
 * advisories and VEX, CycloneDX VEX/VDR, OpenVEX). Every status and justification is mapped onto one vocabulary
 * and the document's own value is kept beside it, so nothing a vendor said is lost in the mapping.
 */
import type { SbomIssue } from './sbom-issue.js';

export type AdvisoryFormat = 'osv' | 'csaf' | 'cyclonedx-vex' | 'openvex';

/**
 * What a statement says about one product and one vulnerability:
 * - affected: the product is affected (CycloneDX exploitable, CSAF known_affected/first_affected/last_affected,
 *   OpenVEX affected, OSV affected ranges);
 * - fixed: this product version contains the fix (CycloneDX resolved/resolved_with_pedigree, CSAF fixed/first_fixed,
 *   OpenVEX fixed, OSV a fixed event);
 * - not_affected: the product is not affected (CycloneDX not_affected/false_positive, CSAF known_not_affected,
 *   OpenVEX not_affected);
 * - under_investigation: the vendor is looking into it (CycloneDX in_triage, CSAF under_investigation, OpenVEX
 *   under_investigation);
 * - unknown: the document names the product without a verdict (CycloneDX version status `unknown`), or with a
 *   status word its format does not define (kept in statusOriginal, with an UNKNOWN_STATUS issue).
 */
export type VexStatus = 'affected' | 'fixed' | 'not_affected' | 'under_investigation' | 'unknown';

/**
 * Why a product is not affected, on one vocabulary: the nine CycloneDX justifications, plus the OpenVEX / CSAF
 * labels that CycloneDX has no word for (component_not_present, vulnerable_code_cannot_be_controlled_by_adversary).
 * OpenVEX/CSAF `vulnerable_code_not_present` maps to code_not_present, `vulnerable_code_not_in_execute_path` to
 * code_not_reachable, `inline_mitigations_already_exist` to protected_by_mitigating_control.
 */
export type VexJustification =
  | 'code_not_present'
  | 'code_not_reachable'
  | 'requires_configuration'
  | 'requires_dependency'
  | 'requires_environment'
  | 'protected_by_compiler'
  | 'protected_at_runtime'
  | 'protected_at_perimeter'
  | 'protected_by_mitigating_control'
  | 'component_not_present'
  | 'vulnerable_code_cannot_be_controlled_by_adversary';

/**
 * A product as a document names it. Identity is matched later (purl without qualifiers, CPE 2.3, vendor + name +
 * version, hash); the document-local id (CSAF product_id, CycloneDX bom-ref, OpenVEX @id) is kept for reference.
 */
export interface AdvisoryProduct {
  /** CSAF product_id, CycloneDX bom-ref or ref, OpenVEX product @id. */
  ref?: string;
  purl?: string;
  cpe?: string;
  vendor?: string;
  name?: string;
  /** An exact version, when the product names one (as written: CSAF product_version text is not checked). */
  version?: string;
  hashes?: { alg: string; value: string }[];
  /** The document's full display name, when it has one besides `name` (CSAF full_product_name.name). */
  displayName?: string;
  /** OSV package ecosystem as written (`npm`, `PyPI`, `Debian:12`): with `name`, the OSV identity of a package. */
  ecosystem?: string;
  /**
   * CSAF relationship: this product (`ref` = the relationship's own product_id) is `product` (the
   * product_reference) as `category` (`default_component_of`, `installed_on`, ...) of `relatesTo`. Its own
   * identity fields come only from its own product_identification_helper; which side a match should use
   * depends on the category and is left to the matcher.
   */
  relationship?: { category: string; product: AdvisoryProduct; relatesTo: AdvisoryProduct };
  /** OpenVEX subcomponents: the components inside this product where the vulnerability originates. */
  subcomponents?: AdvisoryProduct[];
}

/**
 * Affected versions as a range, in one of the schemes advisories use: `semver` (OSV SEMVER), `ecosystem` (OSV
 * ECOSYSTEM: the package ecosystem's own order), `git` (commit hashes), `generic` (CSAF and CycloneDX version
 * text, compared with src/chains/version-order.ts), `vers` (a vers: range string, kept as written in `vers`).
 */
export interface AffectedRange {
  scheme: 'semver' | 'ecosystem' | 'git' | 'generic' | 'vers';
  /** First affected version (inclusive); absent = from the beginning. */
  introduced?: string;
  /**
   * Exclusive upper bound. From an OSV `fixed` event it is the version that fixes the vulnerability; from a vers
   * or CSAF range (`< 8.2.2`) it is only the bound as written: such a range does not say the bound is fixed.
   */
  fixed?: string;
  /** Last affected version (inclusive upper bound). */
  lastAffected?: string;
  /** OSV `limit` (exclusive upper bound of the range's search). */
  limit?: string;
  /** The range as written (`vers:generic/>=2.0.0|<2.2.0`, or OSV events as JSON), for display and audit. */
  vers?: string;
  /** OSV GIT ranges: the repository the commit hashes belong to. */
  repo?: string;
}

export interface Remediation {
  /** CSAF categories (vendor_fix, workaround, mitigation, no_fix_planned, none_available) or CycloneDX response values. */
  category: string;
  details?: string;
  url?: string;
  date?: string;
}

/** One product's status for one vulnerability, as one document states it. */
export interface VexStatement {
  vulnerabilityId: string;
  product: AdvisoryProduct;
  /** Exact versions the statement covers (besides or instead of `ranges`). */
  versions?: string[];
  ranges?: AffectedRange[];
  status: VexStatus;
  /**
   * The document's own word for the status (`known_affected`, `exploitable`, `in_triage`, `first_fixed`, ...); for an
   * OSV affected entry `affected`, for a CycloneDX `affects` entry with neither analysis nor versions `affects`.
   */
  statusOriginal: string;
  justification?: VexJustification;
  /** The document's own justification value or CSAF flag label. */
  justificationOriginal?: string;
  /** Free text: why not affected (OpenVEX impact_statement, CycloneDX analysis.detail, CSAF threat of category impact). */
  impactStatement?: string;
  /** Free text: what to do (OpenVEX action_statement, CSAF remediation details, CycloneDX recommendation). */
  actionStatement?: string;
  /** Free text: how the status was determined (OpenVEX status_notes). */
  statusNotes?: string;
  remediations?: Remediation[];
  /** CSAF `recommended`: the version the vendor recommends. */
  recommended?: boolean;
  /** When the statement was made, if the document says (OpenVEX statement timestamp, CycloneDX analysis lastUpdated, CSAF flag date). */
  timestamp?: string;
  /** Where in the document the statement is (JSON pointer). */
  path: string;
}

export interface CvssScore {
  /** '2.0', '3.0', '3.1' or '4.0'; '3.x' for a CVSS v3 score that names no minor version. */
  version: string;
  vector?: string;
  baseScore?: number;
  /** Who scored it (the document's publisher, NVD, ...). */
  source?: string;
  /** The products the score is given for, when the document scores per product (CSAF scores[].products). */
  productRefs?: string[];
}

export interface AdvisoryVulnerability {
  /** The primary id: a CVE where the document gives one, else the document's own id (OSV id, GHSA, ...). */
  id: string;
  /** Every other id the document gives for it (OSV id and aliases, CSAF ids, OpenVEX aliases); never repeats `id`. */
  aliases: string[];
  title?: string;
  summary?: string;
  published?: string;
  modified?: string;
  cvss: CvssScore[];
  cwes: string[];
  references: string[];
}

/** An advisory or VEX document, read. */
export interface ParsedAdvisory {
  format: AdvisoryFormat;
  specVersion?: string;
  /** The document's id: OSV id, CSAF tracking id, OpenVEX @id, CycloneDX serialNumber. */
  documentId?: string;
  title?: string;
  publisher?: { name: string; namespace?: string; category?: string };
  published?: string;
  modified?: string;
  /** Document revision (CSAF tracking version, OpenVEX version, CycloneDX version). */
  documentVersion?: string;
  /** CSAF document category as written (`csaf_security_advisory`, `csaf_vex`, `csaf_base`, ...). */
  category?: string;
  /** OSV `withdrawn`: when the advisory was withdrawn. Its statements are still recorded as written. */
  withdrawn?: string;
  vulnerabilities: AdvisoryVulnerability[];
  statements: VexStatement[];
  schemaValid: boolean;
  /** Problems found (schema violations, unreadable values), each located by JSON pointer. */
  issues: SbomIssue[];
}

export type AdvisoryParseResult =
  | { ok: true; advisory: ParsedAdvisory }
  | { ok: false; format?: AdvisoryFormat; specVersion?: string; issues: SbomIssue[] };
