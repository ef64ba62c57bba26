/**
 * @module
 * An SPDX 2.x document in the shape of its JSON serialisation (SPDX 2.3 clause 5, `spdx-schema.json`). The
 * tag-value and RDF readers build this shape, so the three serialisations share one rule check
 * ({@link checkSpdx2SpecRules}) and one mapping ({@link mapSpdx2Document}). Only what patchpath reads is typed;
 * a JSON document may hold anything, so the mapping checks every value it reads.
 */

export interface Spdx2Checksum {
  algorithm: string;
  checksumValue: string;
}

export interface Spdx2ExternalRef {
  referenceCategory: string;
  referenceType: string;
  referenceLocator: string;
}

export interface Spdx2Package {
  SPDXID?: string;
  name?: string;
  versionInfo?: string;
  packageFileName?: string;
  supplier?: string;
  originator?: string;
  downloadLocation?: string;
  homepage?: string;
  filesAnalyzed?: boolean;
  checksums?: Spdx2Checksum[];
  licenseConcluded?: string;
  licenseDeclared?: string;
  copyrightText?: string;
  summary?: string;
  description?: string;
  externalRefs?: Spdx2ExternalRef[];
  primaryPackagePurpose?: string;
}

export interface Spdx2File {
  SPDXID?: string;
  fileName?: string;
  checksums?: Spdx2Checksum[];
}

export interface Spdx2Snippet {
  SPDXID?: string;
  snippetFromFile?: string;
  name?: string;
}

export interface Spdx2Relationship {
  spdxElementId?: string;
  relationshipType?: string;
  relatedSpdxElement?: string;
}

export interface Spdx2ExternalDocumentRef {
  externalDocumentId?: string;
  spdxDocument?: string;
  checksum?: Spdx2Checksum;
}

export interface Spdx2Document {
  spdxVersion?: string;
  SPDXID?: string;
  name?: string;
  dataLicense?: string;
  documentNamespace?: string;
  creationInfo?: { created?: string; creators?: string[]; licenseListVersion?: string };
  externalDocumentRefs?: Spdx2ExternalDocumentRef[];
  documentDescribes?: string[];
  packages?: Spdx2Package[];
  files?: Spdx2File[];
  snippets?: Spdx2Snippet[];
  relationships?: Spdx2Relationship[];
}

/**
 * Where a part of the document sits in the original bytes, given its JSON pointer (`/packages/3`): the pointer
 * itself for JSON, `line N` for tag-value, `line N, column M` for RDF/XML.
 */
export type Spdx2Locator = (pointer: string) => string;
