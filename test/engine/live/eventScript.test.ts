import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEventScript, readEventScript } from '../../../engine/live/eventScript.js';
import { tempDir } from '../../helpers/fixtures.js';
import { userError } from '../../helpers/userError.js';

const lines = (...ls: string[]) => ls.join('\n');

describe('parseEventScript', () => {
  it('parses lines, skips blank ones and sorts by time, keeping file order for equal times', () => {
    const text = lines(
      '{"at": 8, "command": {"type": "tempo", "bpm": 90}}',
      '',
      '   ',
      '{"at": 2, "command": {"type": "preset", "name": "waltz"}}',
      '{"at": 0, "command": {"type": "seed", "value": 1}}',
      '{"at": 2, "command": {"type": "prompt", "model": "audio", "text": "steady beat"}}',
      '{"at": 2.5, "command": {"type": "mix", "value": 0.5}}',
      '',
    );
    const events = parseEventScript(text, 'rehearsal.jsonl');
    expect(events.map((e) => [e.at, e.command.type, e.line])).toEqual([
      [0, 'seed', 5],
      [2, 'preset', 4],
      [2, 'prompt', 6],
      [2.5, 'mix', 7],
      [8, 'tempo', 1],
    ]);
    expect(events[2]!.command).toEqual({ type: 'prompt', model: 'audio', text: 'steady beat' });
  });

  it('reads an empty or blank script as no events', () => {
    expect(parseEventScript('', 'e.jsonl')).toEqual([]);
    expect(parseEventScript('\n\n  \n', 'e.jsonl')).toEqual([]);
  });

  it('accepts CRLF line endings and a leading BOM', () => {
    const text = '\uFEFF{"at": 1, "command": {"type": "seed", "value": 1}}\r\n\r\n{"at": 0, "command": {"type": "seed", "value": 2}}\r\n';
    expect(parseEventScript(text, 'e.jsonl').map((e) => [e.at, e.line])).toEqual([
      [0, 3],
      [1, 1],
    ]);
  });

  const good = '{"at": 0, "command": {"type": "seed", "value": 1}}';
  const bad: Array<[string, string, string | RegExp]> = [
    ['bad JSON', '{"at": 1, "command": ', /^e\.jsonl:3: not valid JSON \(.+\)$/],
    ['not an object', '[1, 2]', 'e.jsonl:3: each line must be a JSON object {"at": seconds, "command": {...}} (got an array)'],
    ['missing at', '{"command": {"type": "seed", "value": 1}}', 'e.jsonl:3: at: is required (seconds since start)'],
    ['at as string', '{"at": "1", "command": {"type": "seed", "value": 1}}', 'e.jsonl:3: at: must be a number of seconds (got "1")'],
    ['negative at', '{"at": -0.5, "command": {"type": "seed", "value": 1}}', 'e.jsonl:3: at: must be at least 0 (got -0.5)'],
    ['infinite at', '{"at": 1e999, "command": {"type": "seed", "value": 1}}', 'e.jsonl:3: at: must be a finite number of seconds (got Infinity)'],
    ['missing command', '{"at": 1}', 'e.jsonl:3: command: is required'],
    ['command as a string', '{"at": 1, "command": "{\\"type\\":\\"seed\\",\\"value\\":1}"}', 'e.jsonl:3: command: must be a JSON object, not a string'],
    ['misspelt field', '{"time": 1, "command": {"type": "seed", "value": 1}}', 'e.jsonl:3: unknown field "time" (valid: at, command)'],
    ['invalid command', '{"at": 1, "command": {"type": "mix", "value": 2}}', 'e.jsonl:3: mix.value: must be at most 1 (got 2)'],
    [
      'unknown command type',
      '{"at": 1, "command": {"type": "volume", "value": 2}}',
      'e.jsonl:3: unknown command type "volume" (valid: prompt, seed, mix, guidance, preset, source, imprint, tempo, meter, tap, resync, nudge, quantize, gain, filter, freeze, look, blackout, visual)',
    ],
    [
      'imprint with both',
      '{"at": 1, "command": {"type": "imprint", "text": "x", "image": "a.png"}}',
      'e.jsonl:3: imprint: needs at most one of "text" or "image", not both',
    ],
  ];

  it.each(bad)('names file and line: %s', (_, line, expected) => {
    // line 3 of the file, after a good line and a blank one, so the count includes blank lines
    const message = userError(() => parseEventScript(lines(good, '', line, good), 'e.jsonl'));
    if (typeof expected === 'string') expect(message).toBe(expected);
    else expect(message).toMatch(expected);
  });

  it('reports the first bad line, not a later one', () => {
    const text = lines(good, '{"at": -1, "command": {"type": "seed", "value": 1}}', 'nonsense');
    expect(userError(() => parseEventScript(text, 'e.jsonl'))).toMatch(/^e\.jsonl:2: at:/);
  });
});

describe('readEventScript', () => {
  it('reads a file', () => {
    const file = join(tempDir(), 'events.jsonl');
    writeFileSync(file, '{"at": 1.5, "command": {"type": "source", "name": "images"}}\n');
    expect(readEventScript(file)).toEqual([{ at: 1.5, command: { type: 'source', name: 'images' }, line: 1 }]);
  });

  it('names the file in parse errors', () => {
    const file = join(tempDir(), 'events.jsonl');
    writeFileSync(file, '{"at": 1.5}\n');
    expect(userError(() => readEventScript(file))).toBe(`${file}:1: command: is required`);
  });

  it('names a missing file', () => {
    const file = join(tempDir(), 'missing.jsonl');
    expect(userError(() => readEventScript(file))).toBe(`${file}: cannot read events file (ENOENT)`);
  });

  it('names a directory given as the file', () => {
    const dir = join(tempDir(), 'events');
    mkdirSync(dir);
    expect(userError(() => readEventScript(dir))).toBe(`${dir}: cannot read events file (EISDIR)`);
  });
});
