/**
 * @module
 * The justification labels CSAF 2.0 flags (section 3.2.3.5) and OpenVEX share, which come from the CISA "VEX
 * Status Justifications" paper, and their word on the model's vocabulary (src/model/advisory.ts).
 */
import type { VexJustification } from '../model/advisory.js';

export const VEX_LABEL_JUSTIFICATIONS: Readonly<Record<string, VexJustification>> = {
  component_not_present: 'component_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'vulnerable_code_cannot_be_controlled_by_adversary',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

/** The model's justification for a CSAF flag label or OpenVEX justification, or undefined for any other word. */
export function justificationOfVexLabel(label: string): VexJustification | undefined {
  return Object.hasOwn(VEX_LABEL_JUSTIFICATIONS, label) ? VEX_LABEL_JUSTIFICATIONS[label] : undefined;
}
