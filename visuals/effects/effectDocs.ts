import { describeRange } from '../../control/protocol/parameters.js';
import { withGeneratedBlock } from '../../control/protocol/parameterDocs.js';
import { EFFECTS, effectInputs } from './registry.js';

export const EFFECTS_BEGIN = '<!-- effects:begin (generated from visuals/effects/registry.ts by `npm run docs:visuals`; do not edit) -->';
export const EFFECTS_END = '<!-- effects:end -->';

/** docs/visuals.md's table of effects, in the order the shader applies them. */
export function effectsTable(): string {
  const rows = EFFECTS.flatMap((e) => effectInputs(e).map((p, i) => {
    const def = p.default === null ? '—' : `\`${String(p.default)}\``;
    const name = i === 0 ? `**${e.name}** (${e.kind})` : '';
    const what = i === 0 ? e.help : '';
    return `| ${name} | \`${p.name}\` | ${describeRange(p)}${p.unit ? ` ${p.unit}` : ''} | ${def} | ${p.help} | ${what} |`;
  }));
  return [EFFECTS_BEGIN, '| Effect | Parameter | Range | Default | The input | What the effect does |', '|---|---|---|---|---|---|', ...rows, EFFECTS_END].join('\n');
}

/** `text` with its effects table replaced by the current one (appended if it has none). */
export function withEffectsTable(text: string): string {
  return withGeneratedBlock(text, EFFECTS_BEGIN, EFFECTS_END, effectsTable());
}
