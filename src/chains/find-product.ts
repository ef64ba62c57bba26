/**
 * @module
 * Which stored SBOM a product reference means: a product version (purl with a version, or vendor, name and version)
 * is its newest SBOM; a device model (purl without a version, or vendor and name) is the SBOM of its latest version
 * (src/chains/version-order.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { PurlIdentity } from '../model/normalised-sbom.js';
import { purlProduct } from '../store/component.repository.js';

export async function findProductSbom(db: Kysely<Database>, purl: PurlIdentity): Promise<number | undefined> {
  const q = db.selectFrom('sbom_subject').select('sbom_id').limit(1);
  const row =
    purl.version === undefined
      ? await q
          .where('purl_product', '=', purlProduct(purl.key))
          .orderBy(sql`version_sort desc nulls last`)
          .orderBy(sql`created_at desc nulls last`)
          .orderBy('sbom_id', 'desc')
          .executeTakeFirst()
      : await q.where('purl_key', '=', purl.key).orderBy(sql`created_at desc nulls last`).orderBy('sbom_id', 'desc').executeTakeFirst();
  return row ? Number(row.sbom_id) : undefined;
}

/** The SBOM of a vendor's product by name: that version's newest SBOM, or without a version the latest version's. */
export async function findNamedProductSbom(db: Kysely<Database>, product: { supplierId: number; name: string; version?: string }): Promise<number | undefined> {
  let q = db.selectFrom('sbom_subject').select('sbom_id').where('supplier_id', '=', product.supplierId).where('name_key', '=', product.name.toLowerCase()).limit(1);
  q = product.version === undefined ? q.orderBy(sql`version_sort desc nulls last`) : q.where('version', '=', product.version);
  const row = await q.orderBy(sql`created_at desc nulls last`).orderBy('sbom_id', 'desc').executeTakeFirst();
  return row ? Number(row.sbom_id) : undefined;
}
