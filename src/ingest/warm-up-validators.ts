import { getCycloneDxJsonValidator } from './cyclonedx/cyclonedx-json-validator.js';
import { getSpdxJsonValidator } from './spdx/spdx-json-validator.js';

/**
 * Compiles the JSON Schema validators of the versions most uploads use (CycloneDX 1.6 and 1.5, SPDX 2.3), so
 * that a server's first uploads do not pay the compilation (about 0.15 s each). Other versions compile on
 * first use. Not done at module load: the CLI and tests that never validate would pay for it.
 */
export function warmUpValidators(): void {
  getCycloneDxJsonValidator('1.6');
  getCycloneDxJsonValidator('1.5');
  getSpdxJsonValidator('2.3');
}
