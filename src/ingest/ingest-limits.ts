/** Limits that keep one document from taking the service down. All are configurable (see src/config.ts). */
export interface IngestLimits {
  /** Largest document accepted, in bytes. The default admits a 256 MB SBOM plus headroom. */
  maxBytes: number;
  /** Deepest nesting of JSON arrays/objects or XML elements. */
  maxDepth: number;
  /** Most components (nested ones included) in one document. */
  maxComponents: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxBytes: 512 * 1024 * 1024,
  maxDepth: 64,
  maxComponents: 2_000_000,
};

/**
 * Longest name, version, purl, CPE, supplier, hash, identifier or reference read, in UTF-8 bytes. Not a policy but
 * what storage can index: a PostgreSQL B-tree entry holds at most 2,704 bytes, and some keys join two such values
 * (a BOM-Link is serial number and bom-ref). Real SBOMs stay far below it: the longest in the shared corpus is 221.
 */
export const MAX_INDEXED_VALUE_BYTES = 1024;

/** What a format parser is told besides the document itself. */
export interface ParseContext {
  limits: IngestLimits;
  /** The spec version read during detection (`1.6`, `2.3`, `3.0.1`). */
  specVersion: string;
}
