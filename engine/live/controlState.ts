import type { Command, Quantum, SourceName } from '../../control/protocol/commands.js';

/** Every setting a generative command can change. `version` counts changes. */
export interface ControlSettings {
  version: number;
  source: SourceName;
  prompts: { audio: string | null; picture: string | null };
  guidance: { audio: number | null; picture: number | null };
  seed: number;
  /** null: the preset's own plan and weights */
  mix: number | null;
  /** tempo segments are fitted to; null = free (segments keep their natural length) */
  tempoBpm: number | null;
  beatsPerBar: number;
  preset: string | null;
  imprint: { text?: string; image?: string; strength?: number } | null;
  quantize: Quantum;
}

export function initialSettings(source: SourceName, tempoBpm: number | null = null): ControlSettings {
  return {
    version: 0, source, tempoBpm, beatsPerBar: 4, prompts: { audio: null, picture: null }, guidance: { audio: null, picture: null },
    seed: 0, mix: null, preset: null, imprint: null, quantize: 'bar',
  };
}

/** The commands that re-render segments. */
export type GenerativeCommand = Extract<Command, { type: 'prompt' | 'seed' | 'mix' | 'guidance' | 'preset' | 'source' | 'imprint' }>;

export function isGenerative(c: Command): c is GenerativeCommand {
  return c.type === 'prompt' || c.type === 'seed' || c.type === 'mix' || c.type === 'guidance' || c.type === 'preset' || c.type === 'source' || c.type === 'imprint';
}

/**
 * Applies a generative command (pure). Returns the same object when the command changes nothing
 * (the same value again): then nothing is re-rendered. A change bumps the version, so segments
 * rendered before it are superseded.
 */
export function applyCommand(s: ControlSettings, c: GenerativeCommand): ControlSettings {
  const next: ControlSettings = { ...s, prompts: { ...s.prompts }, guidance: { ...s.guidance } };
  switch (c.type) {
    case 'prompt': next.prompts[c.model] = c.text; break;
    case 'guidance': next.guidance[c.model] = c.value; break;
    case 'seed': next.seed = c.value; break;
    case 'mix': next.mix = c.value; break;
    case 'preset': next.preset = c.name; break;
    case 'source': next.source = c.name; break;
    case 'imprint': {
      const picture = c.text !== undefined ? { text: c.text } : c.image !== undefined ? { image: c.image }
        : { ...(s.imprint?.text !== undefined ? { text: s.imprint.text } : {}), ...(s.imprint?.image !== undefined ? { image: s.imprint.image } : {}) };
      const strength = c.strength ?? s.imprint?.strength;
      next.imprint = { ...picture, ...(strength !== undefined ? { strength } : {}) };
      break;
    }
  }
  return withVersion(s, next);
}

/** A settings change from the transport (fitting tempo, meter); same rule: unchanged = same object. */
export function withFit(s: ControlSettings, tempoBpm: number | null, beatsPerBar: number): ControlSettings {
  return withVersion(s, { ...s, tempoBpm, beatsPerBar: tempoBpm === null ? s.beatsPerBar : beatsPerBar });
}

function withVersion(s: ControlSettings, next: ControlSettings): ControlSettings {
  const { version: _a, ...a } = s;
  const { version: _b, ...b } = next;
  if (JSON.stringify(a) === JSON.stringify(b)) return s;
  return { ...next, version: s.version + 1 };
}
