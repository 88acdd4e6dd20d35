import { PARAMETERS, type Parameter, type ParameterName, describeRange } from '../protocol/parameters.js';
import { withGeneratedBlock } from '../protocol/parameterDocs.js';
import { ACTIONS } from '../protocol/parameterValue.js';
import { ERROR_ADDRESS, STATE_ADDRESSES, SUBSCRIBE_ADDRESS, UNSUBSCRIBE_ADDRESS, oscAddress, oscTypeTag } from './oscAddressSpace.js';

/** Markers around the generated table in docs/control.md. */
export const OSC_TABLE_BEGIN = '<!-- osc:begin (generated from control/protocol/parameters.ts by `npm run docs:control`; do not edit) -->';
export const OSC_TABLE_END = '<!-- osc:end -->';

function argument(p: Parameter): string {
  switch (p.type) {
    case 'trigger': return 'none (or `1`; `0` is ignored)';
    case 'boolean': return '`i` 0/1 (also `T`/`F`, `f` 0.0/1.0)';
    case 'enum': return '`s` (or its index, `i` 0–' + `${p.values!.length - 1})`;
    case 'integer': return '`i` (also `f`, `d`, `h` if whole)';
    case 'number': return '`f` (also `i`, `d`)';
    case 'string': return '`s`';
  }
}

/** Every OSC address as Markdown: the parameters (from the table), then subscribe and feedback. */
export function oscAddressTable(): string {
  const rows = PARAMETERS.map((p) => {
    const def = p.default === null ? '—' : `\`${String(p.default)}\``;
    // a bare "|" (true | false) would split the Markdown cell
    const range = (describeRange(p) + (p.unit ? ` ${p.unit}` : '')).replace(/(?<!\\)\|/g, '\\|');
    const fed = ACTIONS.includes(p.name as ParameterName) ? '—' : `\`${oscTypeTag(p)}\``;
    return `| \`${oscAddress(p)}\` | ${argument(p)} | ${range} | ${def} | ${fed} | ${p.kind}: ${p.help} |`;
  });
  const special = [
    `| \`${SUBSCRIBE_ADDRESS}\` | none, or \`i\` port | 1–65535 | — | — | send feedback to the sender's address, at that port (default: the port it sent from) |`,
    `| \`${UNSUBSCRIBE_ADDRESS}\` | none, or \`i\` port | 1–65535 | — | — | stop sending feedback there |`,
    `| \`${STATE_ADDRESSES.bar}\` | (feedback only) | 1, 2, … | — | \`i\` | the bar being heard |`,
    `| \`${STATE_ADDRESSES.beat}\` | (feedback only) | 1 to the meter | — | \`i\` | the beat being heard |`,
    `| \`${STATE_ADDRESSES.segment}\` | (feedback only) | 0, 1, … | — | \`i\` | the segment playing (0 before the first) |`,
    `| \`${STATE_ADDRESSES.ahead}\` | (feedback only) | seconds | — | \`f\` | audio rendered and waiting to play |`,
    `| \`${ERROR_ADDRESS}\` | (feedback only) | — | — | \`s\` | why a message was refused, one line naming its address |`,
  ];
  return [OSC_TABLE_BEGIN, '| Address | Argument | Range | Default | Feedback | Meaning |', '|---|---|---|---|---|---|', ...rows, ...special, OSC_TABLE_END].join('\n');
}

/** `text` with the generated table replaced (or appended when the markers are missing). */
export function withOscAddressTable(text: string): string {
  return withGeneratedBlock(text, OSC_TABLE_BEGIN, OSC_TABLE_END, oscAddressTable());
}
