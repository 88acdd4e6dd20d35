import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledPresetsDir } from '../../../engine/presets/resolveInit.js';
import { findPreset } from '../../../engine/show/findPreset.js';
import { tempDir } from '../../helpers/fixtures.js';

describe('findPreset (the `preset` command)', () => {
  it('finds a name in the performer\'s folder first, then in the bundled presets', () => {
    const mine = tempDir();
    const models = join(mine, 'models');
    mkdirSync(join(models, 'riffusion'), { recursive: true });
    writeFileSync(join(mine, 'tiny.yaml'), 'name: mine\nmodels: {audio: riffusion}\nplan: [{model: audio, prompt: x, guidance: 7}]\n');
    expect(findPreset('tiny', [mine, bundledPresetsDir()], models).preset.name).toBe('mine');
    expect(findPreset('tiny', [bundledPresetsDir()]).preset.name).toBe('tiny');
  });

  it('says what is available when the name is unknown, and refuses a preset whose models are missing', () => {
    const dirs = [bundledPresetsDir()];
    expect(() => findPreset('waltz', dirs)).toThrow(/^no preset "waltz" in .*presets \(available: .*tiny.*\)$/);
    expect(() => findPreset('castle', dirs, tempDir())).toThrow(/castle\.yaml: model folder .* does not exist/);
  });
});
