import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, parseCommand } from '../../../control/protocol/commands.js';
import { parameterTable } from '../../../control/protocol/parameterDocs.js';
import { PARAMETERS, commandFor, findParameter } from '../../../control/protocol/parameters.js';
import { fixture } from '../../helpers/fixtures.js';

/** A valid value of each parameter, from its own description. */
function sample(p: (typeof PARAMETERS)[number]): unknown {
  switch (p.type) {
    case 'number': case 'integer': return p.max;
    case 'boolean': return true;
    case 'enum': return p.values!.at(-1);
    case 'string': return 'x';
    case 'trigger': return undefined;
  }
}

describe('the parameter table', () => {
  it('covers every command type, and every parameter becomes a valid command', () => {
    expect(new Set(PARAMETERS.map((p) => p.command.type))).toEqual(new Set(COMMAND_TYPES));
    for (const p of PARAMETERS) expect(parseCommand(commandFor(p, sample(p))), p.name).toMatchObject({ ok: true });
  });

  it('gives the schema its ranges: a value just outside a numeric range is refused', () => {
    for (const p of PARAMETERS.filter((q) => q.type === 'number' || q.type === 'integer')) {
      expect(parseCommand(commandFor(p, p.max! + 1)), p.name).toMatchObject({ ok: false });
      expect(parseCommand(commandFor(p, p.min! - 1)), p.name).toMatchObject({ ok: false });
    }
    const text = findParameter('prompt.audio')!;
    expect(parseCommand(commandFor(text, 'a'.repeat(text.maxLength! + 1)))).toMatchObject({ ok: false });
  });

  it('is what docs/commands.md shows (run `npm run docs:commands` after changing it)', () => {
    const docs = readFileSync(fixture('../../docs/commands.md'), 'utf8');
    expect(docs).toContain(parameterTable());
  });

  it('names are unique dotted identifiers (OSC addresses derive from them)', () => {
    const names = PARAMETERS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/);
  });
});
