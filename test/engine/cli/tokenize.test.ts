import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synesthete } from '../../helpers/cli.js';
import { fixture, tempDir } from '../../helpers/fixtures.js';

const MODEL = fixture('tiny-sd/audio');
const GOLDEN: { prompt: string; input_ids_77: number[] }[] = JSON.parse(readFileSync(fixture('clip-tokenizer/golden.json'), 'utf8'));

const cli = synesthete;

const golden = (prompt: string) => GOLDEN.find((g) => g.prompt === prompt)!.input_ids_77;

describe('synesthete tokenize', () => {
  it('prints the 77 ids as one JSON array with --json', () => {
    const r = cli('tokenize', '--model', MODEL, '--json', 'steady beat');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual(golden('steady beat'));
  });

  it('prints the ids space-separated on one line without --json', () => {
    const prompt = 'it\'s a 909 drum-machine!!! 128bpm; don\'t stop';
    const r = cli('tokenize', '--model', MODEL, prompt);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${golden(prompt).join(' ')}\n`);
  });

  it('also takes the tokenizer folder itself', () => {
    const r = cli('tokenize', '--model', join(MODEL, 'tokenizer'), '--json', 'castle');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(golden('castle'));
  });

  it.each([
    ['a missing folder', () => join(tempDir(), 'no-such-model')],
    ['a folder without tokenizer/', () => tempDir()],
  ])('names %s: exit 1, one stderr line', (_, folder) => {
    const dir = folder();
    const r = cli('tokenize', '--model', dir, 'steady beat');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(dir)]);
  });

  it('asks for --model when it is missing', () => {
    const r = cli('tokenize', 'steady beat');
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('--model')]);
  });
});
