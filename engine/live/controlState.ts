import type { Command, ImprintCommand, SourceName } from '../../control/commands/commandSchema.js';

/** Every setting a command can change. `version` counts accepted commands. */
export interface ControlSettings {
  version: number;
  source: SourceName;
  prompts: { audio: string | null; picture: string | null };
  guidance: { audio: number | null; picture: number | null };
  seed: number;
  mix: number;
  /** master tempo; null = free (segments keep their natural length) */
  tempoBpm: number | null;
  preset: string | null;
  imprint: Omit<ImprintCommand, 'type'> | null;
}

export function initialSettings(source: SourceName, tempoBpm: number | null = null): ControlSettings {
  return {
    version: 0, source, tempoBpm, prompts: { audio: null, picture: null }, guidance: { audio: null, picture: null },
    seed: 0, mix: 0.5, preset: null, imprint: null,
  };
}

/**
 * Applies a validated command (pure: returns a new settings object, version + 1). Every command
 * bumps the version, so segments rendered before it are superseded and it is heard at the next
 * boundary.
 */
export function applyCommand(s: ControlSettings, c: Command): ControlSettings {
  const next: ControlSettings = { ...s, version: s.version + 1, prompts: { ...s.prompts }, guidance: { ...s.guidance } };
  switch (c.type) {
    case 'prompt': next.prompts[c.model] = c.text; break;
    case 'guidance': next.guidance[c.model] = c.value; break;
    case 'seed': next.seed = c.value; break;
    case 'mix': next.mix = c.value; break;
    case 'tempo': next.tempoBpm = c.bpm; break;
    case 'preset': next.preset = c.name; break;
    case 'source': next.source = c.name; break;
    case 'imprint': {
      const { type: _type, ...rest } = c;
      next.imprint = { ...rest, ...(rest.strength === undefined && s.imprint?.strength !== undefined ? { strength: s.imprint.strength } : {}) } as ControlSettings['imprint'];
      break;
    }
  }
  return next;
}
