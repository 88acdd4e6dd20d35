import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../../engine/errors.js';
import { readPng, writePng } from '../../../../engine/io/png.js';
import { imprint } from '../../../../engine/live/imprint/imprint.js';
import { DEFAULT_IMPRINT_STRENGTH, ImprintSource } from '../../../../engine/live/imprint/imprintSource.js';
import { renderText } from '../../../../engine/live/imprint/textPicture.js';
import { resolveImagePath } from '../../../../engine/presets/resolveInit.js';
import { tempDir } from '../../../helpers/fixtures.js';
import { makeImage, sameBytes } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seed = (name: string) => readPng(resolveImagePath(`seed:${name}`, 'test')).rgb;

describe('ImprintSource', () => {
  it('starts with og_beat, k = 0.5 and no picture: the plain beat', () => {
    const source = new ImprintSource();
    expect(source.beatName).toBe('og_beat');
    expect(source.strength).toBe(DEFAULT_IMPRINT_STRENGTH);
    expect(source.picture).toEqual({ kind: 'none' });
    const out = source.nextPicture();
    expect([out.width, out.height]).toEqual([512, 512]);
    expect(sameBytes(out.rgb, seed('og_beat'))).toBe(true);
  });

  it('imprints typed text at the current strength', () => {
    const source = new ImprintSource();
    source.setText('HELLO');
    const beat = { width: 512, height: 512, rgb: seed('og_beat') };
    expect(sameBytes(source.nextPicture().rgb, imprint(beat, renderText('HELLO', 512, 512), 0.5).rgb)).toBe(true);
    source.setStrength(0.9);
    expect(sameBytes(source.nextPicture().rgb, imprint(beat, renderText('HELLO', 512, 512), 0.9).rgb)).toBe(true);
  });

  it('recomputes only when something changed (the same object until then)', () => {
    const source = new ImprintSource();
    source.setText('HI');
    const first = source.nextPicture();
    expect(source.nextPicture()).toBe(first);
    source.setText('HI');
    source.setStrength(0.5);
    expect(source.nextPicture()).toBe(first);
    source.setStrength(0.6);
    const second = source.nextPicture();
    expect(second).not.toBe(first);
    source.setText('HO');
    expect(source.nextPicture()).not.toBe(second);
  });

  it('clamps k; refuses NaN as a UserError', () => {
    const source = new ImprintSource({ strength: 3 });
    expect(source.strength).toBe(1);
    source.setStrength(-1);
    expect(source.strength).toBe(0);
    expect(() => source.setStrength(Number.NaN)).toThrow(UserError);
  });

  it('blank text clears the picture', () => {
    const source = new ImprintSource();
    source.setText('HELLO');
    source.setText('  ');
    expect(source.picture).toEqual({ kind: 'none' });
    expect(sameBytes(source.nextPicture().rgb, seed('og_beat'))).toBe(true);
  });

  it('switches beats by seed name, with or without the seed: prefix', () => {
    const source = new ImprintSource({ beat: 'seed:vibes' });
    expect(source.beatName).toBe('vibes');
    source.setBeat('marim');
    expect(sameBytes(source.nextPicture().rgb, seed('marim'))).toBe(true);
    expect(() => source.setBeat('nope')).toThrow(/unknown seed image "seed:nope"; valid: .*seed:og_beat/);
    expect(source.beatName).toBe('marim');
  });

  it('imprints an image file, resized to the beat; a bad file keeps the current picture', () => {
    const path = join(dir, 'half.png');
    const picture = makeImage(64, 64, (x) => (x < 32 ? [255, 255, 255] : [0, 0, 0]));
    writePng(path, picture);
    const source = new ImprintSource({ strength: 1 });
    source.setImage(path);
    expect(source.picture).toEqual({ kind: 'image', path });
    const out = source.nextPicture();
    expect(out.rgb[(100 * 512 + 10) * 3]).toBe(255);
    expect(out.rgb[(100 * 512 + 500) * 3]).toBe(seed('og_beat')[(100 * 512 + 500) * 3]);
    expect(() => source.setImage(join(dir, 'missing.jpg'))).toThrow(/missing\.jpg: file not found/);
    expect(source.picture).toEqual({ kind: 'image', path });
    expect(source.nextPicture()).toBe(out);
  });
});
