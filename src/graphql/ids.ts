import type { ComponentKey } from '../store/component.repository.js';
import { badUserInput } from './errors.js';

/** A numeric id argument (`sbom(id:)`, `vendor(id:)`). */
export function parseNumericId(argument: string, value: string): number {
  const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw badUserInput(`'${argument}' argument value '${value.slice(0, 100)}' is not a valid id (a positive integer).`);
  return n;
}

export function componentId(key: ComponentKey): string {
  return `${key.sbomId}:${key.index}`;
}

/** `<sbom id>:<position>`. */
export function parseComponentId(value: string): ComponentKey {
  const m = /^(\d{1,15}):(\d{1,9})$/.exec(value);
  if (!m) throw badUserInput(`'id' argument value '${value.slice(0, 100)}' is not a component id ('<sbom id>:<position>', e.g. '12:0').`);
  return { sbomId: Number(m[1]), index: Number(m[2]) };
}
