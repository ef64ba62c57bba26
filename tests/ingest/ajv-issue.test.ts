import { describe, expect, it } from 'vitest';
import { sbomIssue } from '../../src/model/sbom-issue.js';
import { ajvErrorToIssue, capIssues, describeValue, MAX_REPORTED_ISSUES } from '../../src/ingest/ajv-issue.js';

describe('capIssues', () => {
  it('keeps short lists as they are and sums up the rest of long ones', () => {
    const one = [sbomIssue('DANGLING_REF', '/r/0', 'x', 'warning')];
    expect(capIssues(one, 'DANGLING_REF', 'dangling refs')).toBe(one);
    const many = Array.from({ length: MAX_REPORTED_ISSUES + 2 }, (_, i) => sbomIssue('DANGLING_REF', `/r/${i}`, 'x', 'warning'));
    expect(capIssues(many, 'DANGLING_REF', 'dangling refs').at(-1)).toEqual(sbomIssue('DANGLING_REF', '/', `2 more dangling refs not listed (${MAX_REPORTED_ISSUES + 2} in all)`, 'warning'));
  });
});

describe('ajvErrorToIssue', () => {
  it('points a missing property at its object and an extra property at itself', () => {
    const base = { schemaPath: '#', data: {} };
    expect(ajvErrorToIssue({ ...base, keyword: 'required', instancePath: '/packages/0', params: { missingProperty: 'name' } }, 'S')).toEqual(
      sbomIssue('SCHEMA_VIOLATION', '/packages/0', "'/packages/0' (an object) has no required property 'name' (S)"),
    );
    expect(ajvErrorToIssue({ ...base, keyword: 'additionalProperties', instancePath: '', params: { additionalProperty: 'a/b' } }, 'S')).toEqual(
      sbomIssue('SCHEMA_VIOLATION', '/a~1b', "the document (an object) has property 'a/b', which S does not allow there"),
    );
  });
});

describe('describeValue', () => {
  it('quotes strings, shortens long ones and describes the rest', () => {
    expect(describeValue('x')).toBe("'x'");
    expect(describeValue('y'.repeat(100))).toBe(`'${'y'.repeat(77)}...'`);
    expect([describeValue(null), describeValue([1, 2]), describeValue({}), describeValue(3), describeValue(undefined)]).toEqual(['null', '(an array of 2)', '(an object)', '3', '']);
  });
});
