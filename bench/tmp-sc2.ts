import { createDb } from '../src/db/create-db.js';
import { vendorMetrics } from '../src/scorecards/vendor-metrics.js';
import { listAllVendors } from '../src/store/organisation.repository.js';
const h = await createDb({ url: 'postgres://postgres@127.0.0.1:5432/vm_bench_world' });
const ids = (await listAllVendors(h.db)).map((v) => v.id);
for (let i = 0; i < 2; i++) {
  const t = performance.now();
  await vendorMetrics(h.db, ids, { now: new Date('2026-11-29T00:00:00Z') });
  console.error('metrics', ((performance.now() - t) / 1000).toFixed(2));
}
await h.close();
