import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../engine/io/atomicWrite.js';
import { UserError } from '../../../engine/errors.js';
import { tempDir } from '../../helpers/fixtures.js';

describe('writeFileAtomic', () => {
  it('writes and replaces a file, leaving nothing else in the directory', () => {
    const dir = tempDir();
    const path = join(dir, 'out.bin');
    writeFileSync(path, 'old contents that are longer');
    writeFileAtomic(path, Buffer.from('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('removes its temporary file when the final rename fails', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'target'));
    expect(() => writeFileAtomic(join(dir, 'target'), Buffer.from('x'))).toThrow(UserError);
    expect(readdirSync(dir)).toEqual(['target']);
  });

  it('reports a missing directory as a one-line UserError naming the path', () => {
    const path = join(tempDir(), 'no', 'such', 'dir.bin');
    expect(() => writeFileAtomic(path, Buffer.alloc(1))).toThrow(`${path}: cannot write file (ENOENT)`);
  });
});
