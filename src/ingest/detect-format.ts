import type { SbomFormat } from '../model/sbom.js';

/** What the bytes say a document is, before any schema check. */
export type Detection =
  | { kind: 'json'; format: SbomFormat; specVersion: string | undefined; doc: Record<string, unknown> }
  | { kind: 'text'; format: SbomFormat; specVersion: string | undefined }
  | { kind: 'unknown'; reason: string };

const CDX_XML_NS = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/;

/**
 * Tells the format and declared spec version of a parsed JSON document. The file name is never consulted:
 * a vendor's `bom.json` may be SPDX.
 */
export function detectJsonFormat(doc: unknown): Detection {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { kind: 'unknown', reason: `the top-level JSON value is ${Array.isArray(doc) ? 'an array' : doc === null ? 'null' : `a ${typeof doc}`}, not an object` };
  }
  const o = doc as Record<string, unknown>;
  if ('bomFormat' in o || ('specVersion' in o && ('components' in o || 'metadata' in o || 'serialNumber' in o || 'dependencies' in o))) {
    return { kind: 'json', format: 'cyclonedx-json', specVersion: typeof o.specVersion === 'string' ? o.specVersion : undefined, doc: o };
  }
  if ('spdxVersion' in o || ('SPDXID' in o && ('packages' in o || 'creationInfo' in o))) {
    const m = typeof o.spdxVersion === 'string' ? /^SPDX-(\d+\.\d+)$/.exec(o.spdxVersion) : null;
    return { kind: 'json', format: 'spdx-json', specVersion: m ? m[1] : undefined, doc: o };
  }
  const context = o['@context'];
  const contexts = Array.isArray(context) ? context : [context];
  for (const c of contexts) {
    const m = typeof c === 'string' ? /spdx\.org\/rdf\/(\d+\.\d+(?:\.\d+)?)\/spdx-context\.jsonld/.exec(c) : null;
    if (m) return { kind: 'json', format: 'spdx3-jsonld', specVersion: m[1], doc: o };
  }
  if (Array.isArray(o['@graph']) && JSON.stringify(o['@graph'].slice(0, 3)).includes('SpdxDocument')) {
    return { kind: 'json', format: 'spdx3-jsonld', specVersion: undefined, doc: o };
  }
  return { kind: 'unknown', reason: 'the JSON object has none of bomFormat (CycloneDX), spdxVersion (SPDX 2) or an SPDX 3 @context' };
}

/** Tells the format of a text document that is not JSON: CycloneDX XML, SPDX RDF/XML or SPDX tag-value. */
export function detectTextFormat(text: string): Detection {
  const head = text.slice(0, 65536);
  // A comment or processing instruction ends at its first `-->` or `?>` (tempered tokens): with lazy `[\s\S]*?`
  // one could also span several, and a prolog of 40 comments without a root took hours to refuse (2^n ways).
  const start = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--(?:(?!-->)[\s\S])*-->\s*|<\?(?:(?!\?>)[\s\S])*\?>\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w.:-]*)([^>]*)>/.exec(head);
  if (head.trimStart().startsWith('<')) {
    if (!start) return { kind: 'unknown', reason: 'the XML has no readable root element' };
    const [, tag, attrs] = start;
    const local = tag!.includes(':') ? tag!.slice(tag!.indexOf(':') + 1) : tag!;
    if (local === 'bom') {
      const ns = /\bxmlns(?::\w+)?\s*=\s*["']([^"']*)["']/.exec(attrs!);
      const m = ns ? CDX_XML_NS.exec(ns[1]!) : null;
      return { kind: 'text', format: 'cyclonedx-xml', specVersion: m ? m[1] : undefined };
    }
    if (local === 'RDF' || /spdx\.org\/rdf\/terms/.test(attrs!)) {
      const v = /<(?:\w+:)?specVersion>\s*SPDX-(\d+\.\d+)\s*</.exec(text);
      return { kind: 'text', format: 'spdx-rdf', specVersion: v ? v[1] : undefined };
    }
    return { kind: 'unknown', reason: `the XML root element is <${tag}>, neither a CycloneDX <bom> nor an SPDX <rdf:RDF>` };
  }
  // `b'` before the first tag: a Python bytes repr written to a file by one SPDX tool (seen in the SPDX DocFest
  // submissions); the tag-value parser records the malformed line.
  const tv = /^\s*(?:b['"])?SPDXVersion:\s*SPDX-(\d+\.\d+)\s*$/m.exec(head);
  if (tv) return { kind: 'text', format: 'spdx-tag-value', specVersion: tv[1] };
  if (/^\s*(?:DataLicense|SPDXID|DocumentName|DocumentNamespace):/m.test(head)) return { kind: 'text', format: 'spdx-tag-value', specVersion: undefined };
  return { kind: 'unknown', reason: 'the text is neither JSON, XML nor SPDX tag-value (no `SPDXVersion:` line)' };
}
