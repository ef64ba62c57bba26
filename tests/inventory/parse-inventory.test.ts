import { describe, expect, it } from 'vitest';
import { INVENTORY_LIMITS, parseInventory, type InventoryParseResult } from '../../src/inventory/parse-inventory.js';
import type { SbomIssue } from '../../src/model/sbom-issue.js';

const PUMP = { vendor: 'Medisyn Medical GmbH', model: 'ip3000-firmware' };

function rowsOf(r: InventoryParseResult) {
  if (!r.ok) throw new Error(`expected the inventory to be read, got ${JSON.stringify(r.issues)}`);
  return r.rows;
}

function issuesOf(r: InventoryParseResult): SbomIssue[] {
  if (r.ok) throw new Error('expected the inventory to be refused');
  return r.issues;
}

const paths = (r: InventoryParseResult) => issuesOf(r).map((i) => `${i.path} | ${i.message}`);

describe('parseInventory', () => {
  describe('CSV', () => {
    it('reads a header with the usual names in any case, and one device per record', () => {
      const r = parseInventory(
        'Asset Tag,Manufacturer,Product,PURL,CPE,Firmware,Location,VLAN,Criticality\n' +
          'ICU-1,Medisyn Medical GmbH,ip3000-firmware,pkg:generic/medisyn/ip3000-firmware@2.4.0,cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*,2.4.0,"ICU, bed 1",icu-vlan-20,High\n',
      );
      expect(r).toEqual({
        ok: true,
        format: 'csv',
        ignoredFields: [],
        rows: [
          {
            assetTag: 'ICU-1',
            ...PUMP,
            purl: 'pkg:generic/medisyn/ip3000-firmware@2.4.0',
            cpe: 'cpe:2.3:o:medisyn:ip3000_firmware:2.4.0:*:*:*:*:*:*:*',
            firmwareVersion: '2.4.0',
            location: 'ICU, bed 1',
            segment: 'icu-vlan-20',
            criticality: 'high',
            source: 'line 2',
          },
        ],
      });
    });

    it.each([
      ['asset_tag', 'vendor', 'model', 'firmware_version', 'network_segment'],
      ['assetTag', 'Vendor', 'MODEL', 'version', 'segment'],
      ['tag', 'manufacturer', 'product', 'firmware', 'vlan'],
      ['Asset-Tag', 'vendor_name', 'Model', 'Firmware Version', 'Network Segment'],
    ])('accepts the column names %s, %s, %s, %s, %s', (tag, vendor, model, firmware, segment) => {
      const rows = rowsOf(parseInventory(`${tag},${vendor},${model},${firmware},${segment}\nA-1,Acme,X,1.0,vlan-7\n`));
      expect(rows).toEqual([{ assetTag: 'A-1', vendor: 'Acme', model: 'X', firmwareVersion: '1.0', segment: 'vlan-7', source: 'line 2' }]);
    });

    it('reads the delimiter off the header: semicolons (European Excel) and tabs too', () => {
      expect(rowsOf(parseInventory('tag;vendor;model;location\nA;Acme;X;Ward 3, bed 2\n'))[0]).toMatchObject({ assetTag: 'A', location: 'Ward 3, bed 2' });
      expect(rowsOf(parseInventory('tag\tvendor\tmodel\nA\tAcme\tX\n'))[0]).toMatchObject({ assetTag: 'A', vendor: 'Acme', model: 'X' });
    });

    it('reads a UTF-8 byte-order mark, CRLF line ends, quoted delimiters, quotes and line breaks', () => {
      const text = '\uFEFFtag,vendor,model,location\r\nA,"Acme, Inc.",X,"ward ""B"",\r\nbed 2"\r\nB,Acme,Y,\r\n';
      const rows = rowsOf(parseInventory(Buffer.from(text, 'utf8')));
      expect(rows).toEqual([
        { assetTag: 'A', vendor: 'Acme, Inc.', model: 'X', location: 'ward "B",\nbed 2', source: 'line 2' },
        { assetTag: 'B', vendor: 'Acme', model: 'Y', source: 'line 4' },
      ]);
    });

    it('trims values, leaves empty ones out, skips empty lines and counts them in line numbers', () => {
      const rows = rowsOf(parseInventory('tag,vendor,model,firmware\n\n  A , Acme ,X,  \n\n\nB,Acme,Y,2\n'));
      expect(rows).toEqual([
        { assetTag: 'A', vendor: 'Acme', model: 'X', source: 'line 3' },
        { assetTag: 'B', vendor: 'Acme', model: 'Y', firmwareVersion: '2', source: 'line 6' },
      ]);
    });

    it('ignores columns it does not know and lists them', () => {
      const r = parseInventory('tag,vendor,model,serial number,ip address\nA,Acme,X,SN1,10.0.0.1\n');
      expect(r).toMatchObject({ ok: true, ignoredFields: ['serial number', 'ip address'] });
      expect(rowsOf(r)[0]).toEqual({ assetTag: 'A', vendor: 'Acme', model: 'X', source: 'line 2' });
    });

    it('accepts criticality in any case, stored in lower case', () => {
      const rows = rowsOf(parseInventory('tag,purl,criticality\nA,pkg:generic/a/b,CRITICAL\nB,pkg:generic/a/b,Medium\nC,pkg:generic/a/b,low\n'));
      expect(rows.map((r) => r.criticality)).toEqual(['critical', 'medium', 'low']);
    });

    it('locates each problem by line and column, names the value and the rule, and keeps no device', () => {
      const r = parseInventory(
        [
          'Asset Tag,Vendor,Model,purl,cpe,Firmware,Criticality',
          'ICU-1,Acme,X,,,1.0,high',
          ',Acme,X,,,1.0,',
          'ICU-1,Acme,Y,,,1.0,',
          'ICU-4,Acme,,,,1.0,',
          'ICU-5,,X,,,,',
          'ICU-6,,,,,,',
          'ICU-7,,,pkg:npm/,,,',
          'ICU-8,,,,cpe:2.3:o:acme:x,,',
          'ICU-9,Acme,X,,,1.0,1',
          'ICU-10,---,X,,,,',
        ].join('\n'),
      );
      expect(r.ok).toBe(false);
      expect(paths(r)).toEqual([
        'line 3, column Asset Tag | the asset tag is empty; every device needs one, unique within the inventory',
        "line 4, column Asset Tag | asset tag 'ICU-1' is listed again (first at line 2); asset tags must be unique within an inventory",
        "line 5 | device 'ICU-4' names vendor 'Acme' but no model; a device needs vendor and model, a purl or a CPE to be matched to an SBOM",
        "line 6 | device 'ICU-5' names model 'X' but no vendor; a device needs vendor and model, a purl or a CPE to be matched to an SBOM",
        "line 7 | device 'ICU-6' has no vendor, model, purl or CPE; a device needs vendor and model, a purl or a CPE to be matched to an SBOM",
        `line 8, column purl | purl 'pkg:npm/' is not valid: "name" is a required component`,
        expect.stringMatching(/^line 9, column cpe \| CPE 'cpe:2\.3:o:acme:x' is not valid: it has 5 colon-separated fields; .*; a CPE 2\.3 formatted string looks like cpe:2\.3:o:vendor:product:version:\*:\*:\*:\*:\*:\*:\*$/),
        "line 10, column Criticality | criticality '1' is not one of critical, high, medium, low (case does not matter; numbers are not accepted: write the word)",
        "line 11, column Vendor | vendor '---' names no organisation (it has no letters or digits, or says NOASSERTION/NONE)",
      ]);
      expect(issuesOf(r).map((i) => i.code)).toEqual(['MISSING_FIELD', 'DUPLICATE_REF', 'MISSING_FIELD', 'MISSING_FIELD', 'MISSING_FIELD', 'INVALID_PURL', 'INVALID_CPE', 'SCHEMA_VIOLATION', 'SCHEMA_VIOLATION']);
    });

    it('accepts a CPE 2.2 URI (stored as CPE 2.3 later) and refuses what is neither', () => {
      expect(rowsOf(parseInventory('tag,cpe\nA,cpe:/o:medisyn:ip3000_firmware:2.4.0\n'))[0]!.cpe).toBe('cpe:/o:medisyn:ip3000_firmware:2.4.0');
      expect(paths(parseInventory('tag,cpe\nA,medisyn ip3000\n'))).toEqual([
        "line 2, column cpe | CPE 'medisyn ip3000' is not valid: it starts with neither 'cpe:2.3:' (CPE 2.3 formatted string) nor 'cpe:/' (CPE 2.2 URI); a CPE 2.3 formatted string looks like cpe:2.3:o:vendor:product:version:*:*:*:*:*:*:*",
      ]);
    });

    it('refuses a record with a different number of fields than the header, and a quote never closed, at their lines', () => {
      const r = parseInventory('tag,vendor,model\nA,Acme,X\nB,Acme, Inc.,Y\nC,Acme,X\nD,"Acme,X\nE,Acme,X\n');
      expect(paths(r)).toEqual([
        "line 3 | line 3 has 4 fields; the header has 3 (a value that holds the delimiter ',' must be in double quotes)",
        'line 5 | a double quote opened in the record on line 5 is never closed (a double quote inside a quoted value is written twice: "")',
      ]);
    });

    it('refuses a header without an asset tag column, or without any identity column', () => {
      expect(paths(parseInventory('name,vendor,model\nA,Acme,X\n'))).toEqual(['line 1 | the header has no asset tag column (one of: asset_tag, asset tag, assetTag, tag); it has: name, vendor, model']);
      expect(paths(parseInventory('tag,vendor,firmware\nA,Acme,1\n'))).toEqual([
        'line 1 | the header has no vendor and model columns, no purl and no CPE column, so no device could be matched to an SBOM (vendor: vendor, manufacturer, vendor_name; model: model, product)',
      ]);
      expect(paths(parseInventory('tag,model,product,purl\nA,X,Y,pkg:generic/a/b\n'))).toEqual(["line 1, column product | columns 'model' and 'product' both give the model; keep one"]);
    });

    it('refuses a field longer than the limit, naming its start and length', () => {
      const long = 'x'.repeat(INVENTORY_LIMITS.maxFieldLength + 1);
      expect(paths(parseInventory(`tag,purl,location\nA,pkg:generic/a/b,${long}\n`))).toEqual([
        `line 2, column location | location '${'x'.repeat(40)}...' is ${INVENTORY_LIMITS.maxFieldLength + 1} characters long; the limit is ${INVENTORY_LIMITS.maxFieldLength}`,
      ]);
    });

    it('refuses more devices than the limit', () => {
      const text = `tag,purl\n${Array.from({ length: 4 }, (_, i) => `T${i},pkg:generic/a/b\n`).join('')}`;
      expect(rowsOf(parseInventory(text, { limits: { maxRows: 4 } }))).toHaveLength(4);
      expect(paths(parseInventory(text, { limits: { maxRows: 3 } }))).toEqual(['line 5 | the inventory lists more than 3 devices; split it into several files']);
    });

    it(`reads ${INVENTORY_LIMITS.maxRows} devices, the default limit, and refuses one more`, () => {
      const line = (i: number) => `T${i},Medisyn Medical GmbH,ip3000-firmware,2.4.0\n`;
      const text = `asset_tag,vendor,model,firmware\n${Array.from({ length: INVENTORY_LIMITS.maxRows }, (_, i) => line(i)).join('')}`;
      expect(rowsOf(parseInventory(text))).toHaveLength(INVENTORY_LIMITS.maxRows);
      expect(paths(parseInventory(text + line(INVENTORY_LIMITS.maxRows)))).toEqual([`line ${INVENTORY_LIMITS.maxRows + 2} | the inventory lists more than ${INVENTORY_LIMITS.maxRows} devices; split it into several files`]);
    });

    it('lists the first problems up to the limit and counts the rest', () => {
      const text = `tag,purl\n${Array.from({ length: 5 }, (_, i) => `T${i},nope\n`).join('')}`;
      const issues = issuesOf(parseInventory(text, { limits: { maxIssues: 2 } }));
      expect(issues.map((i) => i.path)).toEqual(['line 2, column purl', 'line 3, column purl', '']);
      expect(issues[2]!.message).toBe('3 more problems were found and are not listed (the first 2 are)');
    });

    it('refuses a list with a header and no device, an empty body, and bytes that are not UTF-8', () => {
      expect(paths(parseInventory('tag,vendor,model\n'))).toEqual(['line 1 | the inventory lists no devices']);
      expect(paths(parseInventory('  \n'))).toEqual([' | the inventory is empty; send a CSV file with a header row or a JSON array of devices']);
      expect(issuesOf(parseInventory(Buffer.from([0x74, 0x61, 0x67, 0x0a, 0xc3, 0x28])))[0]).toMatchObject({ code: 'INVALID_ENCODING', path: 'byte 4' });
    });
  });

  describe('JSON', () => {
    it('reads an array of devices with camelCase or snake_case members', () => {
      const r = parseInventory(
        JSON.stringify([
          { assetTag: 'A', vendor: 'Acme', model: 'X', firmwareVersion: '1.0', networkSegment: 'icu', criticality: 'HIGH' },
          { asset_tag: 'B', manufacturer: 'Acme', product: 'Y', firmware_version: '2.0', vlan: 20, location: null },
        ]),
      );
      expect(r).toEqual({
        ok: true,
        format: 'json',
        ignoredFields: [],
        rows: [
          { assetTag: 'A', vendor: 'Acme', model: 'X', firmwareVersion: '1.0', segment: 'icu', criticality: 'high', source: '/0' },
          { assetTag: 'B', vendor: 'Acme', model: 'Y', firmwareVersion: '2.0', segment: '20', source: '/1' },
        ],
      });
    });

    it('reads {"devices": [...]} and lists members it does not know', () => {
      const r = parseInventory(JSON.stringify({ operator: 'x', devices: [{ tag: 7, purl: 'pkg:generic/a/b', ip: '10.0.0.1', sbomId: 3 }] }));
      expect(r).toEqual({ ok: true, format: 'json', ignoredFields: ['ip', 'sbomId'], rows: [{ assetTag: '7', purl: 'pkg:generic/a/b', source: '/devices/0' }] });
    });

    it('locates each problem by JSON pointer, names the value and the rule', () => {
      const r = parseInventory(
        JSON.stringify({
          devices: [
            { assetTag: 'A', vendor: 'Acme', model: 'X', criticality: 'urgent' },
            { vendor: 'Acme', model: 'X' },
            'B',
            { assetTag: 'C', purl: 'pkg:generic/a/b', firmwareVersion: 2.4 },
            { assetTag: 'D', model: 'X', product: 'Y', purl: 'pkg:generic/a/b' },
            { assetTag: 'A', 'cpe/x': 1, cpe: 'cpe:/x:acme' },
          ],
        }),
      );
      expect(paths(r)).toEqual([
        "/devices/0/criticality | criticality 'urgent' is not one of critical, high, medium, low (case does not matter; numbers are not accepted: write the word)",
        '/devices/1/assetTag | the asset tag is empty; every device needs one, unique within the inventory',
        '/devices/2 | the device is a string; each device is an object such as {"assetTag": "ICU-0042", "vendor": "...", "model": "...", "firmwareVersion": "..."}',
        '/devices/3/firmwareVersion | the firmware version is a number (2.4); it must be a string (whole numbers are accepted too)',
        "/devices/4/product | members 'model' and 'product' both give the model; keep one",
        "/devices/5/assetTag | asset tag 'A' is listed again (first at /devices/0); asset tags must be unique within an inventory",
        expect.stringMatching(/^\/devices\/5\/cpe \| CPE 'cpe:\/x:acme' is not valid: the part 'x' is not a, o or h/),
      ]);
    });

    it('refuses a NUL in a value and stores an unpaired surrogate as U+FFFD', () => {
      expect(paths(parseInventory('[{"tag": "A\\u0000B", "purl": "pkg:generic/a/b"}]'))).toEqual(["/0/tag | the asset tag 'A\\0B' contains the character U+0000 (NUL), which a value cannot hold"]);
      expect(rowsOf(parseInventory('[{"tag": "A\\ud800", "purl": "pkg:generic/a/b"}]'))[0]!.assetTag).toBe('A\uFFFD');
    });

    it('refuses JSON that does not parse, at its line and column, and JSON that is no device list', () => {
      expect(issuesOf(parseInventory('[{"assetTag": "A",\n  "purl": }]'))[0]).toMatchObject({ code: 'SYNTAX_ERROR', path: 'line 2, column 11' });
      expect(paths(parseInventory('{"items": []}'))).toEqual([' | the document is an object without a "devices" array; an inventory in JSON is an array of devices or an object {"devices": [...]}']);
      expect(paths(parseInventory('[]'))).toEqual([' | the inventory lists no devices']);
      expect(paths(parseInventory('[{"tag":"A","purl":"pkg:generic/a/b"}] trailing'))[0]).toMatch(/^line 1, column 40 \| content after the end of the JSON document/);
      expect(paths(parseInventory('[1,2,3]', { limits: { maxRows: 2 } }))).toEqual([' | the inventory lists 3 devices, more than the limit of 2; split it into several files']);
    });

    it('reads JSON whatever the text starts with when told the format, and CSV when told so', () => {
      expect(parseInventory('tag,purl\nA,pkg:generic/a/b\n', { format: 'json' })).toMatchObject({ ok: false, format: 'json' });
      expect(parseInventory('[{"tag":"A"}]', { format: 'csv' })).toMatchObject({ ok: false, format: 'csv' });
    });
  });
});
