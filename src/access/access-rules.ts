/**
 * @module
 * Who may call what: one table for the GraphQL root fields and one for the REST routes, so that the authorisation
 * matrix test (tests/access/authorisation-matrix.test.ts) can hold every operation of the schema and every route of
 * the app against them. A field or route missing from its table is refused to everyone (fail closed).
 *
 * Reading published vendor data (SBOMs, components, vendors, chains, advisories, patch status of products) is open
 * to every party: operators need it to see where their devices' fixes are stuck, procurement to judge vendors.
 * Inventories and the answers about them belong to their operator; tokens, grants, the stack catalogue and the audit
 * log to admins. Rows are checked again in PostgreSQL (row-level security, migrations/202611300900_create_access.sql).
 */
import { forbidden } from './access-error.js';
import type { Principal, Role } from './principal.js';
import type { Organisation } from '../model/sbom-record.js';

const EVERYONE: readonly Role[] = ['admin', 'vendor', 'operator', 'procurement'];
const PUBLISHERS: readonly Role[] = ['admin', 'vendor'];
const INVENTORY: readonly Role[] = ['admin', 'operator'];
const ADMIN: readonly Role[] = ['admin'];

/** `Type.field` of every Query and Mutation field -> the roles that may call it. */
export const GRAPHQL_ACCESS: Readonly<Record<string, readonly Role[]>> = {
  'Query.me': EVERYONE,
  'Query.sbom': EVERYONE,
  'Query.sboms': EVERYONE,
  'Query.component': EVERYONE,
  'Query.components': EVERYONE,
  'Query.vendor': EVERYONE,
  'Query.vendors': EVERYONE,
  'Query.chains': EVERYONE,
  'Query.stackExposure': EVERYONE,
  'Query.vendorNetwork': EVERYONE,
  'Query.openHops': EVERYONE,
  'Query.stacks': EVERYONE,
  'Query.stack': EVERYONE,
  'Query.advisory': EVERYONE,
  'Query.advisories': EVERYONE,
  'Query.vulnerability': EVERYONE,
  'Query.patchStatus': EVERYONE,
  'Query.vendorPatchStatus': EVERYONE,
  'Query.vulnerabilityTimeline': EVERYONE,
  'Query.vexDocument': EVERYONE,
  'Query.vendorScorecard': EVERYONE,
  'Query.vendorScorecards': EVERYONE,
  'Query.compareVendors': EVERYONE,
  'Query.vendorScorecardHistory': EVERYONE,
  'Query.devices': INVENTORY,
  'Query.affectedDevices': INVENTORY,
  'Query.apiTokens': ADMIN,
  'Query.uploadGrants': ADMIN,
  'Query.auditLog': ADMIN,
  'Mutation.ingestSbom': PUBLISHERS,
  'Mutation.ingestAdvisory': PUBLISHERS,
  'Mutation.importInventory': INVENTORY,
  'Mutation.addStack': ADMIN,
  'Mutation.createApiToken': ADMIN,
  'Mutation.revokeApiToken': ADMIN,
  'Mutation.grantUpload': ADMIN,
  'Mutation.revokeUploadGrant': ADMIN,
  'Mutation.recordScorecardHistory': ADMIN,
};

export interface RestRule {
  method: 'GET' | 'POST';
  /** Hono path pattern, as the route is mounted (`/v1/sboms/:id`). */
  path: string;
  roles: readonly Role[];
}

export const REST_ACCESS: readonly RestRule[] = [
  { method: 'POST', path: '/v1/sboms', roles: PUBLISHERS },
  { method: 'GET', path: '/v1/sboms', roles: EVERYONE },
  { method: 'GET', path: '/v1/sboms/:id', roles: EVERYONE },
  { method: 'GET', path: '/v1/sboms/:id/raw', roles: EVERYONE },
  { method: 'GET', path: '/v1/sboms/:id/vex', roles: EVERYONE },
  { method: 'POST', path: '/v1/advisories', roles: PUBLISHERS },
  { method: 'GET', path: '/v1/advisories', roles: EVERYONE },
  { method: 'GET', path: '/v1/advisories/:id', roles: EVERYONE },
  { method: 'GET', path: '/v1/advisories/:id/raw', roles: EVERYONE },
  { method: 'POST', path: '/v1/operators/:operator/inventory', roles: INVENTORY },
  { method: 'GET', path: '/v1/operators/:operator/devices', roles: INVENTORY },
  { method: 'GET', path: '/v1/operators/:operator/affected-devices', roles: INVENTORY },
  { method: 'GET', path: '/v1/vendors/:vendor/patch-status', roles: EVERYONE },
  { method: 'GET', path: '/v1/vulnerabilities/:id/timeline', roles: EVERYONE },
  { method: 'GET', path: '/v1/scorecards', roles: EVERYONE },
  { method: 'GET', path: '/v1/vendors/:vendor/scorecard', roles: EVERYONE },
  { method: 'GET', path: '/v1/vendors/:vendor/scorecard/history', roles: EVERYONE },
  { method: 'GET', path: '/metrics', roles: ADMIN },
];

const compiled = REST_ACCESS.map((r) => ({ ...r, pattern: new RegExp(`^${r.path.replace(/:[a-zA-Z]+/g, '[^/]+')}/?$`) }));

/** The rule of a request, or undefined when no route has one (the request will find no route: 404). */
export function restRuleFor(method: string, path: string): RestRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return compiled.find((r) => r.method === m && r.pattern.test(path));
}

/** @throws AccessError (403) when `principal`'s role is not among `roles`. */
export function authoriseRole(principal: Principal, roles: readonly Role[], what: string): void {
  if (roles.includes(principal.role)) return;
  throw forbidden(`${principal.role} '${principal.organisationName}' may not ${what}: it is open to ${roles.map((r) => `${r}s`).join(', ')} only`);
}

/**
 * An inventory and the answers about it are its operator's: an operator token reaches only its own, an admin's
 * every one.
 *
 * @throws AccessError (403) otherwise.
 */
export function authoriseOperator(principal: Principal | undefined, operator: Pick<Organisation, 'id' | 'name'>): void {
  if (!principal || principal.role === 'admin') return;
  if (principal.role === 'operator' && principal.organisationId === operator.id) return;
  throw forbidden(`${principal.role} '${principal.organisationName}' may not read or change the inventory of operator '${operator.name}': an inventory is its operator's own`);
}
