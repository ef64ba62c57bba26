/**
 * The format-neutral model of one SBOM document: what every parser (CycloneDX JSON/XML, SPDX 2.x JSON,
 * tag-value and RDF, SPDX 3 JSON-LD) produces, and all that storage ever sees of CycloneDX or SPDX.
 */
import type { SbomIssue } from './sbom-issue.js';

export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json' | 'spdx-tag-value' | 'spdx-rdf' | 'spdx3-jsonld';

export const SBOM_FORMATS: readonly SbomFormat[] = ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json', 'spdx-tag-value', 'spdx-rdf', 'spdx3-jsonld'];

/** An organisation as a document names it (CycloneDX organizationalEntity, SPDX `Organization: ...`). */
export interface Party {
  name: string;
  /** `organization` or `person` where the document says so (SPDX `Person:` / `Organization:`). */
  kind?: 'organization' | 'person' | 'tool';
  urls?: string[];
  email?: string;
}

export interface Tool {
  name: string;
  vendor?: string;
  version?: string;
}

export interface Hash {
  /** Algorithm in CycloneDX spelling: `SHA-256`, `SHA-1`, `MD5`, `SHA-512`, `BLAKE2b-256`, ... */
  alg: string;
  /** Lower-case hex. */
  value: string;
}

/** One licence statement: an SPDX expression, or a free-text name when the document gives no SPDX id. */
export interface License {
  /** SPDX licence expression (`MIT`, `Apache-2.0 OR MIT`), or undefined when only a name is given. */
  expression?: string;
  /** Free-text licence name (CycloneDX `license.name`, SPDX `LicenseRef-*` text), when no expression. */
  name?: string;
  /** SPDX 2 distinguishes these; CycloneDX 1.6 has `acknowledgement`. Defaults to `declared`. */
  kind?: 'declared' | 'concluded';
}

export interface ExternalReference {
  /** CycloneDX externalReference type (`vcs`, `website`, `bom`, ...) or SPDX referenceType. */
  type: string;
  url: string;
}

/**
 * A component of the document, subject included. `ref` is the document-local identity: CycloneDX bom-ref,
 * SPDX 2 SPDXID, SPDX 3 spdxId, or a ref the parser made up (`#/components/3`) when the document has none.
 */
export interface Component {
  ref: string;
  /** Ref of the component this one is nested in (CycloneDX nested components). */
  parentRef?: string;
  /** CycloneDX component type (`library`, `firmware`, `device`, ...), SPDX 2 primaryPackagePurpose lower-cased, SPDX 3 software_primaryPurpose. */
  type?: string;
  group?: string;
  name: string;
  version?: string;
  description?: string;
  purl?: string;
  cpes: string[];
  supplier?: Party;
  manufacturer?: Party;
  /** Original author or originator (CycloneDX `author`/`authors`, SPDX `originator`). */
  author?: string;
  hashes: Hash[];
  licenses: License[];
  copyright?: string;
  externalReferences: ExternalReference[];
  /** CycloneDX scope (`required`/`optional`/`excluded`). */
  scope?: string;
  /** True for the document subject: CycloneDX metadata.component, SPDX DESCRIBES targets, SPDX 3 rootElement. */
  isSubject: boolean;
}

/** Edge kinds: CycloneDX dependencies (DEPENDS_ON) and nesting (CONTAINS); SPDX relationships as named there. */
export type RelationshipType =
  | 'DEPENDS_ON'
  | 'CONTAINS'
  | 'DESCRIBES'
  | 'DEV_DEPENDENCY_OF'
  | 'BUILD_DEPENDENCY_OF'
  | 'OPTIONAL_DEPENDENCY_OF'
  | 'RUNTIME_DEPENDENCY_OF'
  | 'STATIC_LINK'
  | 'DYNAMIC_LINK'
  | 'GENERATED_FROM'
  | 'VARIANT_OF'
  | 'PACKAGE_OF'
  | 'OTHER';

/**
 * A directed edge `from -> to` in the direction "from needs/holds to": SPDX `X DEPENDENCY_OF Y` is stored
 * as `Y DEPENDS_ON X`, `X CONTAINED_BY Y` as `Y CONTAINS X`. `originalType` keeps the document's own word.
 */
export interface Relationship {
  from: string;
  to: string;
  type: RelationshipType;
  originalType: string;
}

/** A link to another document: SPDX externalDocumentRefs, CycloneDX BOM-Link (`urn:cdx:serial/version#ref`). */
export interface DocumentReference {
  /** SPDX `DocumentRef-x` id, or the component ref that carries the BOM-Link. */
  id: string;
  /** SPDX document namespace, or CycloneDX BOM-Link URN. */
  target: string;
  checksum?: Hash;
}

export interface ParsedSbom {
  format: SbomFormat;
  /** As declared: `1.6`, `2.3`, `3.0.1`. */
  specVersion: string;
  /** CycloneDX serialNumber, SPDX 2 documentNamespace, SPDX 3 SpdxDocument spdxId. */
  serialNumber?: string;
  /** CycloneDX BOM `version`. */
  documentVersion?: number;
  /** Document name (SPDX `name`; CycloneDX: the subject's name). */
  name?: string;
  /** Creation time, ISO 8601, as the document states it (not parsed, so a bad value can be shown as is). */
  createdAt?: string;
  authors: Party[];
  tools: Tool[];
  /**
   * When in its lifecycle the document was made, the CISA 2025 minimum elements' "generation context", in the
   * document's own spelling and order, each once: CycloneDX 1.5+ `metadata.lifecycles` phases (`design`, `pre-build`,
   * `build`, `post-build`, `operations`, `discovery`, `decommission`) or custom lifecycle names; SPDX 3
   * `software_Sbom.software_sbomType` (`design`, `source`, `build`, `deployed`, `runtime`, `analyzed`). Absent when
   * the document states none; SPDX 2 has no field for it.
   */
  lifecycles?: string[];
  /** Refs of the subject components (usually one). */
  subjectRefs: string[];
  /** The subject's supplier, else manufacturer (CycloneDX metadata.supplier/manufacture also count). */
  supplier?: Party;
  components: Component[];
  relationships: Relationship[];
  documentReferences: DocumentReference[];
  /** Verdict of the official schema for the declared version (and, for tag-value, of the spec's mandatory fields). */
  schemaValid: boolean;
  /** Every problem found that did not stop the document being read: schema violations and warnings. */
  issues: import('./sbom-issue.js').SbomIssue[];
}

export type ParseResult =
  | { ok: true; sbom: ParsedSbom }
  | { ok: false; format?: SbomFormat; specVersion?: string; issues: SbomIssue[] };
