#!/usr/bin/env -S node --min-semi-space-size=64 --max-semi-space-size=64
// The installed `patchpath` command runs the TypeScript sources through tsx's loader: no build step to forget.
//
// The young generation is set to 64 MB (V8's default starts at 1 MB and grows slowly): parsing a big SBOM allocates
// hundreds of megabytes that all live until the upload is stored, and with small semi-spaces V8 copies them
// between them dozens of times. Measured on a 100k-component document: JSON.parse 0.53 s -> 0.35 s, the whole
// upload about 0.25 s faster; on a 256 MB one about a second faster with a lower peak RSS (bench/, README).
// `npm start` and `npm run bench` start node through this line too, so they run with the same heap.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
