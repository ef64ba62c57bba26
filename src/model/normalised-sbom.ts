/**
 * A {@link ParsedSbom} made ready for storage and matching: identities canonicalised (purl without qualifiers,
 * CPE 2.3), vendor names normalised to keys ("ACME Inc." and "Acme, Inc" -> `acme`), licences checked against
 * the SPDX list, and refs turned into positions so storage can write edges without lookups.
 */
import type { Component, ParsedSbom, RelationshipType } from './sbom.js';

export interface PurlIdentity {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  /** `pkg:type/namespace/name@version`, canonical encoding, qualifiers and subpath dropped (DOMAIN "Identity"). */
  key: string;
}

export interface VendorRef {
  /** The name as first written in the document. */
  name: string;
  /** Normalised key: lower case, punctuation and legal suffixes (Inc, GmbH, Ltd, ...) removed. */
  key: string;
}

export interface NormalisedComponent extends Component {
  /** Position in `components`: the component's storage key within its SBOM. */
  index: number;
  /** Position of the parent (nesting), when `parentRef` resolved. */
  parentIndex?: number;
  purlIdentity?: PurlIdentity;
  /** First valid CPE, in CPE 2.3 formatted-string form (2.2 URIs converted). */
  cpe?: string;
  /** Supplier vendor (falls back to manufacturer when the document names no supplier). */
  supplierVendor?: VendorRef;
  /** All licences combined into one SPDX expression (`A AND B`), when every part is a valid expression. */
  licenseExpression?: string;
}

export interface NormalisedEdge {
  fromIndex: number;
  toIndex: number;
  type: RelationshipType;
  originalType: string;
}

export interface NormalisedSbom extends Omit<ParsedSbom, 'components' | 'supplier' | 'relationships'> {
  components: NormalisedComponent[];
  edges: NormalisedEdge[];
  subjectIndexes: number[];
  /** The vendor that supplies the document's subject (the party the SBOM belongs to), when known. */
  supplierVendor?: VendorRef;
  /** Every vendor the document names (subject supplier, component suppliers and manufacturers), deduplicated by key. */
  vendors: VendorRef[];
}
