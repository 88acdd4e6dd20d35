/**
 * `npm run docs:visuals`: regenerates the effects table in docs/visuals.md from the effect
 * registry. A test fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withEffectsTable } from './effectDocs.js';

const file = process.argv[2] ?? 'docs/visuals.md';
const before = readFileSync(file, 'utf8');
const after = withEffectsTable(before);
writeFileSync(file, after);
process.stderr.write(`${file}: effects table ${before === after ? 'already up to date' : 'regenerated'}\n`);
