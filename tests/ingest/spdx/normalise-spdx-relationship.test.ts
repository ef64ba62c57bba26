import { describe, expect, it } from 'vitest';
import { normaliseSpdx2Relationship, normaliseSpdx3Relationship } from '../../../src/ingest/spdx/normalise-spdx-relationship.js';

describe('normaliseSpdx2Relationship', () => {
  it.each([
    ['DEPENDS_ON', 'a', 'b', 'DEPENDS_ON'],
    ['DEPENDENCY_OF', 'b', 'a', 'DEPENDS_ON'],
    ['CONTAINS', 'a', 'b', 'CONTAINS'],
    ['CONTAINED_BY', 'b', 'a', 'CONTAINS'],
    ['DESCRIBES', 'a', 'b', 'DESCRIBES'],
    ['DESCRIBED_BY', 'b', 'a', 'DESCRIBES'],
    ['DEV_DEPENDENCY_OF', 'b', 'a', 'DEV_DEPENDENCY_OF'],
    ['BUILD_DEPENDENCY_OF', 'b', 'a', 'BUILD_DEPENDENCY_OF'],
    ['OPTIONAL_DEPENDENCY_OF', 'b', 'a', 'OPTIONAL_DEPENDENCY_OF'],
    ['RUNTIME_DEPENDENCY_OF', 'b', 'a', 'RUNTIME_DEPENDENCY_OF'],
    ['STATIC_LINK', 'a', 'b', 'STATIC_LINK'],
    ['DYNAMIC_LINK', 'a', 'b', 'DYNAMIC_LINK'],
    ['GENERATED_FROM', 'a', 'b', 'GENERATED_FROM'],
    ['VARIANT_OF', 'a', 'b', 'VARIANT_OF'],
    ['PACKAGE_OF', 'a', 'b', 'PACKAGE_OF'],
    ['TEST_DEPENDENCY_OF', 'a', 'b', 'OTHER'],
    ['COPY_OF', 'a', 'b', 'OTHER'],
  ])("reads 'a %s b' as an edge %s -> %s of type %s", (type, from, to, edgeType) => {
    expect(normaliseSpdx2Relationship('a', type, 'b')).toEqual({ from, to, type: edgeType, originalType: type });
  });
});

describe('normaliseSpdx3Relationship', () => {
  it.each([
    ['dependsOn', undefined, 'a', 'b', 'DEPENDS_ON'],
    ['dependsOn', 'build', 'a', 'b', 'BUILD_DEPENDENCY_OF'],
    ['dependsOn', 'development', 'a', 'b', 'DEV_DEPENDENCY_OF'],
    ['dependsOn', 'runtime', 'a', 'b', 'RUNTIME_DEPENDENCY_OF'],
    ['dependsOn', 'test', 'a', 'b', 'DEPENDS_ON'],
    ['contains', undefined, 'a', 'b', 'CONTAINS'],
    ['describes', undefined, 'a', 'b', 'DESCRIBES'],
    ['hasOptionalDependency', undefined, 'a', 'b', 'OPTIONAL_DEPENDENCY_OF'],
    ['hasStaticLink', undefined, 'a', 'b', 'STATIC_LINK'],
    ['hasDynamicLink', undefined, 'a', 'b', 'DYNAMIC_LINK'],
    ['generates', undefined, 'b', 'a', 'GENERATED_FROM'],
    ['hasVariant', undefined, 'b', 'a', 'VARIANT_OF'],
    ['hasDistributionArtifact', undefined, 'a', 'b', 'OTHER'],
  ])("reads 'a %s b' (scope %s) as an edge %s -> %s of type %s", (type, scope, from, to, edgeType) => {
    expect(normaliseSpdx3Relationship('a', type, 'b', scope)).toEqual({ from, to, type: edgeType, originalType: type });
  });
});
