/**
 * @module
 * SPDX relationship types -> the model's edge kinds, in the model's direction "from needs/holds to"
 * ({@link Relationship}). SPDX 2 states many kinds from the other end (`X DEPENDENCY_OF Y` means Y needs X);
 * SPDX 3 always states them from the holder (`from dependsOn to`).
 */
import type { Relationship, RelationshipType } from '../../model/sbom.js';

// SPDX 2.3 clause 11.1. `flip`: the document names the needed element first, so the edge runs from the other end.
const SPDX2: Record<string, { type: RelationshipType; flip: boolean }> = {
  DEPENDS_ON: { type: 'DEPENDS_ON', flip: false },
  DEPENDENCY_OF: { type: 'DEPENDS_ON', flip: true },
  CONTAINS: { type: 'CONTAINS', flip: false },
  CONTAINED_BY: { type: 'CONTAINS', flip: true },
  DESCRIBES: { type: 'DESCRIBES', flip: false },
  DESCRIBED_BY: { type: 'DESCRIBES', flip: true },
  DEV_DEPENDENCY_OF: { type: 'DEV_DEPENDENCY_OF', flip: true },
  BUILD_DEPENDENCY_OF: { type: 'BUILD_DEPENDENCY_OF', flip: true },
  OPTIONAL_DEPENDENCY_OF: { type: 'OPTIONAL_DEPENDENCY_OF', flip: true },
  RUNTIME_DEPENDENCY_OF: { type: 'RUNTIME_DEPENDENCY_OF', flip: true },
  STATIC_LINK: { type: 'STATIC_LINK', flip: false },
  DYNAMIC_LINK: { type: 'DYNAMIC_LINK', flip: false },
  // The model names these three itself; `A GENERATED_FROM B` already reads "A needs B".
  GENERATED_FROM: { type: 'GENERATED_FROM', flip: false },
  VARIANT_OF: { type: 'VARIANT_OF', flip: false },
  PACKAGE_OF: { type: 'PACKAGE_OF', flip: false },
};

/**
 * The edge an SPDX 2 relationship `from TYPE to` states. Types the model does not name become OTHER, in the
 * document's own direction, with the SPDX word kept in `originalType`.
 *
 * @example
 * normaliseSpdx2Relationship('SPDXRef-lib', 'DEPENDENCY_OF', 'SPDXRef-app')
 * // { from: 'SPDXRef-app', to: 'SPDXRef-lib', type: 'DEPENDS_ON', originalType: 'DEPENDENCY_OF' }
 */
export function normaliseSpdx2Relationship(from: string, type: string, to: string): Relationship {
  const known = SPDX2[type.toUpperCase()];
  if (!known) return { from, to, type: 'OTHER', originalType: type };
  return known.flip ? { from: to, to: from, type: known.type, originalType: type } : { from, to, type: known.type, originalType: type };
}

// SPDX 3.0.1 Core/Vocabularies/RelationshipType. SPDX 3 removed the *_OF kinds: the holder is always `from`.
const SPDX3: Record<string, { type: RelationshipType; flip: boolean }> = {
  dependsOn: { type: 'DEPENDS_ON', flip: false },
  contains: { type: 'CONTAINS', flip: false },
  describes: { type: 'DESCRIBES', flip: false },
  hasOptionalDependency: { type: 'OPTIONAL_DEPENDENCY_OF', flip: false },
  hasStaticLink: { type: 'STATIC_LINK', flip: false },
  hasDynamicLink: { type: 'DYNAMIC_LINK', flip: false },
  // `A generates B` is SPDX 2's `B GENERATED_FROM A`; `A hasVariant B` is `B VARIANT_OF A`.
  generates: { type: 'GENERATED_FROM', flip: true },
  hasVariant: { type: 'VARIANT_OF', flip: true },
};

// SPDX 3 LifecycleScopedRelationship `scope` on dependsOn carries what SPDX 2 said with *_DEPENDENCY_OF.
const SPDX3_DEPENDENCY_SCOPE: Record<string, RelationshipType> = {
  development: 'DEV_DEPENDENCY_OF',
  build: 'BUILD_DEPENDENCY_OF',
  runtime: 'RUNTIME_DEPENDENCY_OF',
};

/**
 * The edge an SPDX 3 relationship `from relationshipType to` states (one per `to` element); `scope` is the
 * LifecycleScopedRelationship scope, if any. Unknown kinds become OTHER with the SPDX word kept.
 *
 * @example
 * normaliseSpdx3Relationship('urn:app', 'dependsOn', 'urn:lib', 'build')
 * // { from: 'urn:app', to: 'urn:lib', type: 'BUILD_DEPENDENCY_OF', originalType: 'dependsOn' }
 */
export function normaliseSpdx3Relationship(from: string, type: string, to: string, scope?: string): Relationship {
  const known = SPDX3[type];
  if (!known) return { from, to, type: 'OTHER', originalType: type };
  const scoped = type === 'dependsOn' && scope ? SPDX3_DEPENDENCY_SCOPE[scope] : undefined;
  const edgeType = scoped ?? known.type;
  return known.flip ? { from: to, to: from, type: edgeType, originalType: type } : { from, to, type: edgeType, originalType: type };
}
