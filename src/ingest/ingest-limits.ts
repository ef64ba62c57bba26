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

/** What a format parser is told besides the document itself. */
export interface ParseContext {
  limits: IngestLimits;
  /** The spec version read during detection (`1.6`, `2.3`, `3.0.1`). */
  specVersion: string;
}
