/**
 * `npm run docs:control`: regenerates the OSC address table in docs/control.md from the parameter
 * table (control/protocol/parameters.ts). A test fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withOscAddressTable } from './oscDocs.js';

const file = process.argv[2] ?? 'docs/control.md';
const before = readFileSync(file, 'utf8');
const after = withOscAddressTable(before);
writeFileSync(file, after);
process.stderr.write(`${file}: OSC address table ${before === after ? 'already up to date' : 'regenerated'}\n`);
