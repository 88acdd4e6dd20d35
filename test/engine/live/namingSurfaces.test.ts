import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../control/protocol/commands.js';
import { MAX_PICTURE_NAMES, fromSurface, pictureLister, pictureNames } from '../../../engine/live/namingSurfaces.js';
import { tempDir } from '../../helpers/fixtures.js';

describe('commands from naming surfaces (web, OSC, MIDI)', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'sea.png'), '');
  const imprint = (image: string): Command => ({ type: 'imprint', image });

  it('turn a picture name into its path in the pictures folder, and refuse paths, hidden files and other kinds of file', () => {
    expect(fromSurface(imprint('sea.png'), 'osc', dir)).toEqual({ ok: true, command: { type: 'imprint', image: join(dir, 'sea.png') } });
    for (const name of ['/etc/hosts', '..\\sea.png', 'sub/sea.png', '.sea.png', 'sea.txt']) {
      expect(fromSurface(imprint(name), 'osc', dir)).toEqual({ ok: false, reason: `imprint.image: osc names a PNG or JPEG in ${dir} (e.g. "sea.png"); a path is for the command line or an --events file` });
    }
    expect(fromSurface(imprint('gone.jpg'), 'web', dir)).toEqual({ ok: false, reason: `imprint.image: no picture "gone.jpg" in ${dir}` });
    mkdirSync(join(dir, 'folder.png'));
    expect(fromSurface(imprint('folder.png'), 'web', dir)).toEqual({ ok: false, reason: `imprint.image: no picture "folder.png" in ${dir}` });
    expect(fromSurface(imprint('sea.png'), 'web', undefined)).toMatchObject({ ok: false, reason: expect.stringContaining('--pictures DIR') });
    // strength alone, and text, need no folder
    expect(fromSurface({ type: 'imprint', strength: 0.5 }, 'web', undefined)).toMatchObject({ ok: true });
  });

  it('refuse a preset given as a path', () => {
    for (const name of ['/etc/passwd', '../presets/tiny', 'tiny.yaml', 'x.JSON']) {
      expect(fromSurface({ type: 'preset', name }, 'midi', dir)).toMatchObject({ ok: false, reason: expect.stringContaining('midi chooses presets by name') });
    }
    expect(fromSurface({ type: 'preset', name: 'tiny' }, 'web', dir)).toMatchObject({ ok: true });
  });

  it('leave paths to what the performer wrote: the command line, --events files, the API', () => {
    for (const surface of ['events', 'api'] as const) {
      expect(fromSurface(imprint('/photos/sea.png'), surface, dir)).toEqual({ ok: true, command: imprint('/photos/sea.png') });
      expect(fromSurface({ type: 'preset', name: 'my/tiny.yaml' }, surface, dir)).toMatchObject({ ok: true });
    }
  });

  it('list the pictures of a folder, sorted and bounded; none for a folder that cannot be read', () => {
    const many = tempDir();
    for (let i = 0; i < MAX_PICTURE_NAMES + 5; i++) writeFileSync(join(many, `p${String(i).padStart(3, '0')}.jpeg`), '');
    writeFileSync(join(many, '.hidden.png'), '');
    writeFileSync(join(many, 'readme.md'), '');
    mkdirSync(join(many, 'folder.png'));
    const names = pictureNames(many);
    expect(names).toHaveLength(MAX_PICTURE_NAMES);
    expect(names[0]).toBe('p000.jpeg');
    expect(names).not.toContain('.hidden.png');
    expect(pictureNames(join(many, 'missing'))).toEqual([]);
  });

  it('re-read the folder at most every 2 s for the pages that connect', () => {
    const folder = tempDir();
    let t = 0;
    const list = pictureLister(folder, 2000, () => t);
    expect(list()).toEqual([]);
    writeFileSync(join(folder, 'sea.png'), '');
    t = 1999;
    expect(list()).toEqual([]);
    t = 2000;
    expect(list()).toEqual(['sea.png']);
  });
});
