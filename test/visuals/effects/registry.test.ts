import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARAMETERS } from '../../../control/protocol/parameters.js';
import { defaultVisuals } from '../../../control/protocol/visualState.js';
import { composeEffects } from '../../../visuals/effects/composeEffects.js';
import { effectsTable } from '../../../visuals/effects/effectDocs.js';
import { effectUniforms } from '../../../visuals/effects/effectUniforms.js';
import { EFFECTS, SCENE_INPUTS, uniformName } from '../../../visuals/effects/registry.js';

describe('the effect registry', () => {
  it('gives every visual parameter to exactly one effect or the scene pass, so each has a control on every surface', () => {
    const inputs = [...EFFECTS.flatMap((e) => e.inputs as readonly string[]), ...SCENE_INPUTS];
    expect(new Set(inputs).size).toBe(inputs.length);
    const visual = PARAMETERS.filter((p) => p.kind === 'visual').map((p) => p.name);
    expect([...inputs].sort()).toEqual([...visual].sort());
  });

  it('composes one shader: coordinate effects on the position, then colour effects in order', () => {
    const { frag, inputs } = composeEffects(EFFECTS);
    expect(inputs).toContain('u_saturation');
    expect(inputs).toContain('u_blackout');
    for (const e of EFFECTS) expect(frag).toContain(e.kind === 'coord' ? `uv = fx_${e.name}(uv);` : `c = fx_${e.name}(c, v_uv);`);
    expect(frag.indexOf('fx_saturation(c')).toBeLessThan(frag.indexOf('fx_blackout(c'));
  });

  it("turns the show's visual settings into uniforms: numbers as they are, enum values as their index", () => {
    const v = defaultVisuals();
    const u = effectUniforms({ ...v, blackout: true, effects: { ...v.effects, colormap: 'neon', mirror: 'both', saturation: 2 } });
    expect(u).toMatchObject({ u_colormap: 3, u_mirror: 3, u_saturation: 2, u_blackout: 1, u_zoom: 1 });
    expect(uniformName('visual.trails')).toBe('u_trails');
  });

  it('is what docs/visuals.md shows (run `npm run docs:visuals` after changing it)', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'visuals.md'), 'utf8');
    expect(docs).toContain(effectsTable());
  });
});
