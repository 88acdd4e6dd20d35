/**
 * `npm run docs:commands`: regenerates the parameter table in docs/commands.md from the one
 * parameter table (control/protocol/parameters.ts). A test fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withParameterTable } from '../../control/protocol/parameterDocs.js';

const file = process.argv[2] ?? 'docs/commands.md';
const before = readFileSync(file, 'utf8');
const after = withParameterTable(before);
writeFileSync(file, after);
process.stderr.write(`${file}: parameter table ${before === after ? 'already up to date' : 'regenerated'}\n`);
