import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oscAddressTable } from '../../../control/osc/oscDocs.js';
import { oscAddress } from '../../../control/osc/oscAddressSpace.js';
import { PARAMETERS } from '../../../control/protocol/parameters.js';
import { fixture } from '../../helpers/fixtures.js';

describe('docs/control.md', () => {
  it('shows the OSC address table generated from the parameter table (run `npm run docs:control` after changing it)', () => {
    const docs = readFileSync(fixture('../../docs/control.md'), 'utf8');
    expect(docs).toContain(oscAddressTable());
  });

  it('has a row of six cells for every parameter', () => {
    const rows = oscAddressTable().split('\n').filter((l) => l.startsWith('| `/'));
    for (const p of PARAMETERS) {
      const row = rows.find((r) => r.startsWith(`| \`${oscAddress(p)}\` |`));
      expect(row, p.name).toBeDefined();
      expect(row!.split(/(?<!\\)\|/).length - 2, p.name).toBe(6);
    }
  });
});
