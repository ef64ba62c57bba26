/**
 * Small hand-made vendor worlds for chain tests: CycloneDX 1.6 JSON SBOMs of one product each, whose components
 * name other products by exactly the identities a test wants to exercise. They go through the real ingest path.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { ingestSbom } from '../../src/store/ingest-sbom.js';

export interface Part {
  name: string;
  version?: string;
  /** Supplier name as the document writes it. */
  supplier?: string;
  purl?: string;
  cpe?: string;
  hashes?: readonly string[];
  /** A CycloneDX BOM-Link (`urn:cdx:<uuid>/<version>#<ref>`). */
  bomLink?: string;
  components?: Part[];
}

export interface Product extends Part {
  /** The vendor whose SBOM it is (the subject's supplier). */
  supplier: string;
  /** Document serial (uuid); random unless given, so that BOM-Links can name it. */
  serial?: string;
  /** Document timestamp. */
  timestamp?: string;
}

let counter = 0;

function component(p: Part): Record<string, unknown> {
  const c: Record<string, unknown> = { type: 'library', 'bom-ref': `ref-${++counter}`, name: p.name };
  if (p.version) c.version = p.version;
  if (p.supplier) c.supplier = { name: p.supplier };
  if (p.purl) c.purl = p.purl;
  if (p.cpe) c.cpe = p.cpe;
  if (p.hashes) c.hashes = p.hashes.map((content) => ({ alg: 'SHA-256', content }));
  if (p.bomLink) c.externalReferences = [{ type: 'bom', url: p.bomLink }];
  if (p.components) c.components = p.components.map(component);
  return c;
}

/** The SBOM text of one product. */
export function productSbom(p: Product): string {
  const subject = component(p);
  subject.type = 'firmware';
  subject['bom-ref'] = 'subject';
  delete subject.components;
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${p.serial ?? randomUUID()}`,
    version: 1,
    metadata: { timestamp: p.timestamp ?? '2026-01-01T00:00:00Z', component: subject, supplier: { name: p.supplier } },
    components: (p.components ?? []).map(component),
  });
}

/** The BOM-Link naming the subject of a product made with `serial`. */
export const bomLinkTo = (serial: string) => `urn:cdx:${serial}/1#subject`;

/** Ingests one product's SBOM through the real path; returns its id. */
export async function ingestProduct(db: Kysely<Database>, p: Product): Promise<number> {
  const outcome = await ingestSbom(db, Buffer.from(productSbom(p)));
  if (outcome.status === 'rejected') throw new Error(`test SBOM of ${p.name} rejected: ${JSON.stringify(outcome.issues.slice(0, 3))}`);
  return outcome.record.id;
}

export const purlOf = (vendor: string, name: string, version: string) => `pkg:generic/${vendor}/${name}@${version}`;

/** lwIP as a component, recognised by the catalogue's purl. */
export const lwip = (version: string, tag = `STABLE-${version.replace(/\./g, '_')}_RELEASE`): Part => ({
  name: 'lwIP',
  version,
  supplier: 'lwIP project',
  purl: `pkg:github/lwip-tcpip/lwip@${tag}`,
});

/** Every order of `items` (n! of them). */
export function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}
