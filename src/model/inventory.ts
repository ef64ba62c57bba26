/**
 * An operator's inventory (DOMAIN.md "Parties": a hospital or clinic owns an inventory of installed devices), and
 * how each device is matched to the SBOM of its product version.
 */

/** How much a device matters to the operator, as hospitals grade it; the words, lower case. */
export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** One device as an inventory file lists it, checked: values trimmed, empty ones absent. */
export interface InventoryDevice {
  /** The operator's own identifier of the device, unique within its inventory. */
  assetTag: string;
  vendor?: string;
  model?: string;
  purl?: string;
  /** CPE 2.3 formatted string or CPE 2.2 URI, as written. */
  cpe?: string;
  firmwareVersion?: string;
  location?: string;
  segment?: string;
  criticality?: Criticality;
  /** Where the file lists it: `line 7` (CSV) or `/devices/3` (JSON pointer). */
  source?: string;
}

/** A stored device of an operator. */
export interface Device extends Omit<InventoryDevice, 'source'> {
  id: number;
  operatorId: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Which identity matched a device to an SBOM, strongest first (DOMAIN.md "Identity"). */
export type DeviceMatchRule = 'PURL' | 'CPE' | 'VENDOR_MODEL_VERSION';

/** A device and the SBOM of its product version, or why there is none. */
export interface DeviceMatch {
  deviceId: number;
  assetTag: string;
  /** The newest SBOM of the device's product version. */
  sbomId?: number;
  rule?: DeviceMatchRule;
  /** Set exactly when `sbomId` is not: why no SBOM matches, naming the values looked for. */
  reason?: string;
}

/** A stored device with its match. */
export interface MatchedDevice {
  device: Device;
  match: DeviceMatch;
}
