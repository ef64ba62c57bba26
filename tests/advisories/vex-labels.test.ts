import { describe, expect, it } from 'vitest';
import { justificationOfVexLabel, VEX_LABEL_JUSTIFICATIONS } from '../../src/advisories/vex-labels.js';

describe('justificationOfVexLabel', () => {
  it('maps the five CSAF/OpenVEX labels onto the model and nothing else', () => {
    expect(Object.keys(VEX_LABEL_JUSTIFICATIONS)).toHaveLength(5);
    expect(justificationOfVexLabel('vulnerable_code_not_in_execute_path')).toBe('code_not_reachable');
    expect(justificationOfVexLabel('inline_mitigations_already_exist')).toBe('protected_by_mitigating_control');
    expect(justificationOfVexLabel('code_not_present')).toBeUndefined();
    expect(justificationOfVexLabel('toString')).toBeUndefined();
  });
});
