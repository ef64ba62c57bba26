import DataLoader from 'dataloader';
import type { Principal } from '../access/principal.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Config } from '../config.js';
import type { Organisation, SbomRecord, StoredComponent } from '../model/sbom-record.js';
import { findComponents, listHashes, listSubjectsOfSboms, type ComponentKey } from '../store/component.repository.js';
import { findOrganisationsByIds } from '../store/organisation.repository.js';
import { findSbomsByIds } from '../store/sbom.repository.js';
import type { Metrics } from '../observability/metrics.js';
import type { Logger } from '../observability/logger.js';
import type { Ingester } from '../ingester.js';
import { findStacksByIds, type StackRecord } from '../chains/stack-catalogue.js';
import { findAdvisoriesByIds, type AdvisoryRecord } from '../store/advisory.repository.js';
import { sbomQuality, type SbomQuality } from '../scorecards/sbom-quality.js';
import { scorecardHistory, type ScorecardSnapshot } from '../scorecards/scorecard-history.js';

export interface GraphQLContext {
  db: Kysely<Database>;
  config: Config;
  metrics: Metrics;
  logger: Logger;
  ingest: Ingester;
  /** The clock patch status counts days to (the `asOf` argument overrides it per query). */
  now: () => Date;
  requestId?: string;
  /** The caller (src/access/); undefined only outside HTTP (tests that call resolvers directly). */
  principal?: Principal;
  loaders: {
    sbom: DataLoader<number, SbomRecord | undefined>;
    component: DataLoader<ComponentKey, StoredComponent | undefined, string>;
    hashes: DataLoader<ComponentKey, { alg: string; value: string }[], string>;
    subjects: DataLoader<number, StoredComponent[]>;
    organisation: DataLoader<number, Organisation | undefined>;
    stack: DataLoader<number, StackRecord | undefined>;
    advisory: DataLoader<number, AdvisoryRecord | undefined>;
    quality: DataLoader<number, SbomQuality | undefined>;
    /** A vendor's recorded scorecards of the current method, oldest first (src/scorecards/scorecard-history.ts). */
    scorecardHistory: DataLoader<number, ScorecardSnapshot[]>;
  };
}

/** Per-request loaders: one query per type and tick instead of one per field (N+1). */
export function createLoaders(db: Kysely<Database>): GraphQLContext['loaders'] {
  return {
    sbom: new DataLoader((ids) => findSbomsByIds(db, ids)),
    component: new DataLoader((keys) => findComponents(db, keys), { cacheKeyFn: (k) => `${k.sbomId}:${k.index}` }),
    hashes: new DataLoader((keys) => listHashes(db, keys), { cacheKeyFn: (k) => `${k.sbomId}:${k.index}` }),
    subjects: new DataLoader((ids) => listSubjectsOfSboms(db, ids)),
    organisation: new DataLoader((ids) => findOrganisationsByIds(db, ids)),
    stack: new DataLoader((ids) => findStacksByIds(db, ids)),
    advisory: new DataLoader((ids) => findAdvisoriesByIds(db, ids)),
    quality: new DataLoader(async (ids) => {
      const found = await sbomQuality(db, ids);
      return ids.map((id) => found.get(id));
    }),
    scorecardHistory: new DataLoader(async (ids) => {
      const found = await scorecardHistory(db, [...ids]);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
