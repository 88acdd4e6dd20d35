import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../engine/errors.js';
import { checkOutputTargets, writeOutputs } from '../../../engine/io/outputSet.js';
import { tempDir } from '../../helpers/fixtures.js';
import { userError } from '../../helpers/userError.js';

const text = (content: string) => (path: string) => writeFileSync(path, content);

describe('writeOutputs: all or nothing, and nothing earlier lost', () => {
  it('a folder in the way of one output leaves the earlier run\'s files as they were (generate --latents-out DIR)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tiny.png'), 'png of run 1');
    writeFileSync(join(dir, 'tiny.wav'), 'wav of run 1');
    mkdirSync(join(dir, 'latdir', 'x'), { recursive: true });
    const message = userError(() => writeOutputs([
      { path: join(dir, 'tiny.png'), write: text('png of run 2') },
      { path: join(dir, 'tiny.wav'), write: text('wav of run 2') },
      { path: join(dir, 'latdir'), write: text('latents of run 2') },
    ]));
    expect(message).toBe(`${join(dir, 'latdir')}: cannot write output, a folder of that name exists`);
    expect(readFileSync(join(dir, 'tiny.png'), 'utf8')).toBe('png of run 1');
    expect(readFileSync(join(dir, 'tiny.wav'), 'utf8')).toBe('wav of run 1');
    expect(readdirSync(dir).sort()).toEqual(['latdir', 'tiny.png', 'tiny.wav']);
    expect(() => checkOutputTargets([join(dir, 'latdir')])).toThrow(UserError);
  });

  it('a failure after some outputs were renamed into place puts the replaced files back', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.png'), 'old a');
    let calls = 0;
    expect(() => writeOutputs([
      { path: join(dir, 'a.png'), write: text('new a') },
      // the second write "fails late": after its temp is written, the rename cannot happen
      { path: join(dir, 'b.wav'), write: (p) => { calls++; writeFileSync(p, 'b'); mkdirSync(join(dir, 'b.wav')); } },
    ])).toThrow(/b\.wav: cannot write output, a folder of that name exists/);
    expect(calls).toBe(1);
    expect(readFileSync(join(dir, 'a.png'), 'utf8')).toBe('old a');
    expect(readdirSync(dir).sort()).toEqual(['a.png', 'b.wav']); // b.wav is the folder made above
  });

  it('replaces earlier outputs on success and leaves no temporary or backup files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.png'), 'old a');
    writeOutputs([{ path: join(dir, 'a.png'), write: text('new a') }, { path: join(dir, 'sub', 'b.wav'), write: text('b') }]);
    expect(readFileSync(join(dir, 'a.png'), 'utf8')).toBe('new a');
    expect(readdirSync(dir).sort()).toEqual(['a.png', 'sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['b.wav']);
  });

  it('names the output, not its temporary file, when a write fails', () => {
    const dir = tempDir();
    const out = join(dir, 'x.wav');
    const message = userError(() => writeOutputs([{ path: out, write: (p) => { throw new UserError(`${p}: cannot write file (EACCES)`); } }]));
    expect(message).toBe(`${out}: cannot write file (EACCES)`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
