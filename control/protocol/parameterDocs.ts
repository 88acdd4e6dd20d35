import { PARAMETERS, type Parameter, describeRange } from './parameters.js';

/** Markers around the generated table in docs/commands.md. */
export const TABLE_BEGIN = '<!-- parameters:begin (generated from control/protocol/parameters.ts by `npm run docs:commands`; do not edit) -->';
export const TABLE_END = '<!-- parameters:end -->';

/** The JSON command a parameter becomes, with an example value, for the docs. */
function example(p: Parameter): string {
  const c: Record<string, unknown> = { type: p.command.type, ...p.command.fixed };
  if (p.command.field !== undefined) c[p.command.field] = exampleValue(p);
  return `\`${JSON.stringify(c)}\``;
}

function exampleValue(p: Parameter): unknown {
  switch (p.type) {
    case 'number': return p.default ?? (p.min! + p.max!) / 2;
    case 'integer': return p.default ?? p.min;
    case 'boolean': return true;
    case 'enum': return p.default ?? p.values![0];
    case 'string': return p.name === 'imprint.image' ? 'photos/sea.png' : p.name === 'preset' ? 'waltz-princess' : 'steady beat';
    case 'trigger': return undefined;
  }
}

/** The parameter table as Markdown: one row per parameter, every surface's reference. */
export function parameterTable(): string {
  const rows = PARAMETERS.map((p) => {
    const def = p.default === null ? '—' : `\`${String(p.default)}\``;
    const range = describeRange(p) + (p.unit ? ` ${p.unit}` : '');
    return `| \`${p.name}\` | ${p.kind} | ${example(p)} | ${range} | ${def} | ${p.help} |`;
  });
  return [TABLE_BEGIN, '| Parameter | Kind | Command | Range | Default | Meaning |', '|---|---|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/**
 * `text` with a generated block (from `beginMarker` to `endMarker`, both included in `block`)
 * replaced by `block`, or `block` appended when the markers are missing. Every generated table
 * in docs/ is kept this way (parameters, OSC addresses, effects).
 */
export function withGeneratedBlock(text: string, beginMarker: string, endMarker: string, block: string): string {
  const begin = text.indexOf(beginMarker);
  const end = text.indexOf(endMarker);
  if (begin < 0 || end < begin) return `${text.trimEnd()}\n\n${block}\n`;
  return text.slice(0, begin) + block + text.slice(end + endMarker.length);
}

/** `text` with the generated table replaced (or appended when the markers are missing). */
export function withParameterTable(text: string): string {
  return withGeneratedBlock(text, TABLE_BEGIN, TABLE_END, parameterTable());
}

/** The parameters as plain text for --help: one line each, name, kind, range and meaning. */
export function parameterHelp(): string {
  const width = Math.max(...PARAMETERS.map((p) => p.name.length));
  return PARAMETERS.map((p) => `  ${p.name.padEnd(width)}  ${p.kind.padEnd(10)}  ${describeRange(p).replace(/\\\|/g, '|')}${p.unit ? ` ${p.unit}` : ''}: ${p.help}`).join('\n');
}
