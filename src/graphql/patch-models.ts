/**
 * @module
 * What the patch-status resolvers of schema.graphql work on (codegen mappers): the results of src/patch-status/
 * with what a field needs beside them.
 */
import type { AffectedDevices } from '../patch-status/device-exposure.js';
import type { FirmwareVerdict } from '../patch-status/device-exposure.js';
import type { FixRelease } from '../patch-status/hop-state.js';
import type { VendorPatchStatus } from '../patch-status/vendor-patch-status.js';
import type { VulnerabilityTimeline } from '../patch-status/vulnerability-timeline.js';
import type { Organisation } from '../model/sbom-record.js';
import type { StatementEvidence, VulnerabilityRecord } from '../store/vulnerability.repository.js';
import type { PatchChain } from '../patch-status/patch-propagation.js';

export type FixReleaseModel = FixRelease<StatementEvidence>;

export interface ProductPatchStatusModel {
  vulnerability: VulnerabilityRecord;
  sbomId: number;
  /** Undefined when the vulnerability does not concern the product version. */
  verdict?: FirmwareVerdict;
  chains: PatchChain[];
}

export interface AffectedDevicesModel {
  vulnerabilities: VulnerabilityRecord[];
  result: AffectedDevices;
  page: { first: number; offset: number };
}

export interface VendorPatchStatusModel {
  vendor: Organisation;
  vulnerabilities: VulnerabilityRecord[];
  status: VendorPatchStatus;
}

export interface VulnerabilityTimelineModel {
  timeline: VulnerabilityTimeline;
  first: number;
}
