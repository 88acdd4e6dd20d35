import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../engine/errors.js';
import { createScheduler } from '../../../../engine/diffusion/schedulers/createScheduler.js';
import type { SchedulerKind } from '../../../../engine/diffusion/schedulers/scheduler.js';
import { schedulerConfigFromJson, schedulerConfigToJson } from '../../../../engine/diffusion/schedulers/schedulerConfig.js';
import { fixture } from '../../../helpers/fixtures.js';

const readJson = (path: string) => JSON.parse(readFileSync(fixture(path), 'utf8')) as Record<string, unknown>;
const audioJson = readJson('tiny-sd/audio/scheduler/scheduler_config.json');
const pictureJson = readJson('tiny-sd/picture/scheduler/scheduler_config.json');

describe('schedulerConfigFromJson', () => {
  it("maps Riffusion's PNDM config, with PNDM defaults and the extra clip_sample key", () => {
    expect(schedulerConfigFromJson(audioJson)).toEqual({
      numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear', trainedBetas: null,
      stepsOffset: 1, timestepSpacing: 'leading', predictionType: 'epsilon', setAlphaToOne: false, skipPrkSteps: true,
      clipSample: false,
    });
  });

  it("maps the picture model's Euler config with Euler defaults", () => {
    expect(schedulerConfigFromJson(pictureJson)).toEqual({
      numTrainTimesteps: 1000, betaStart: 0.00085, betaEnd: 0.012, betaSchedule: 'scaled_linear', trainedBetas: null,
      stepsOffset: 1, timestepSpacing: 'leading', predictionType: 'epsilon', interpolationType: 'linear', finalSigmasType: 'zero',
    });
  });

  it('returns frozen data', () => {
    const c = schedulerConfigFromJson({ ...audioJson, trained_betas: Array.from({ length: 1000 }, () => 0.01) });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.trainedBetas)).toBe(true);
  });

  it('an unknown class gives only the keys present', () => {
    expect(schedulerConfigFromJson({ _class_name: 'LMSDiscreteScheduler', beta_start: 0.001, some_future_key: 3 })).toEqual({ betaStart: 0.001 });
    expect(schedulerConfigFromJson({})).toEqual({});
  });

  it('rejects invalid values naming the key and the valid choices', () => {
    expect(() => schedulerConfigFromJson({ beta_schedule: 'cosine' })).toThrow(/betaSchedule = "cosine" must be one of "linear", "scaled_linear", "squaredcos_cap_v2"/);
    expect(() => schedulerConfigFromJson({ num_train_timesteps: 0 })).toThrow(/numTrainTimesteps/);
    expect(() => schedulerConfigFromJson({ steps_offset: -1 })).toThrow(/stepsOffset/);
    expect(() => schedulerConfigFromJson({ ...audioJson, trained_betas: [0.1, 0.2] })).toThrow(/1000 values/);
    expect(() => schedulerConfigFromJson([])).toThrow(UserError);
    expect(() => schedulerConfigFromJson(null)).toThrow(/JSON object/);
  });

  it('rejects unimplemented diffusers features when switched on, accepts them off', () => {
    expect(() => schedulerConfigFromJson({ ...pictureJson, use_karras_sigmas: true })).toThrow(/use_karras_sigmas.*not supported/);
    expect(() => schedulerConfigFromJson({ thresholding: true })).toThrow(/thresholding/);
    expect(() => schedulerConfigFromJson({ rescale_betas_zero_snr: true })).toThrow(/rescale_betas_zero_snr/);
    expect(() => schedulerConfigFromJson({ prediction_type: 'sample' })).toThrow(/predictionType/);
    expect(schedulerConfigFromJson({ ...pictureJson, use_karras_sigmas: false, sigma_min: null, timestep_type: 'discrete' })).toEqual(schedulerConfigFromJson(pictureJson));
  });
});

describe('createScheduler', () => {
  const audio = schedulerConfigFromJson(audioJson);
  const picture = schedulerConfigFromJson(pictureJson);

  it('swaps classes the diffusers way: known keys carried, missing ones from the target class', () => {
    const ddimFromAudio = createScheduler('ddim', audio);
    expect(ddimFromAudio.config).toMatchObject({ clipSample: false, setAlphaToOne: false, timestepSpacing: 'leading', stepsOffset: 1, clipSampleRange: 1 });
    const ddimFromPicture = createScheduler('ddim', picture);
    expect(ddimFromPicture.config).toMatchObject({ clipSample: true, setAlphaToOne: true, timestepSpacing: 'leading' });
    const dpm = createScheduler('dpmpp2m', audio);
    expect(dpm.config).toMatchObject({ solverOrder: 2, solverType: 'midpoint', lowerOrderFinal: true, timestepSpacing: 'leading', betaStart: 0.00085 });
    // a scheduler's own config feeds another: PNDM keeps Riffusion's clip_sample for a later DDIM
    expect(createScheduler('ddim', createScheduler('pndm', audio).config).config.clipSample).toBe(false);
  });

  it('applies overrides and reports the kind', () => {
    const s = createScheduler('euler', audio, { timestepSpacing: 'linspace', stepsOffset: 0 });
    expect(s.kind).toBe('euler');
    expect(s.config).toMatchObject({ timestepSpacing: 'linspace', stepsOffset: 0 });
    expect(audio.stepsOffset).toBe(1);
  });

  it('fails at setup for PNDM without skip_prk_steps and for unknown kinds', () => {
    expect(() => createScheduler('pndm', picture)).toThrow(/skipPrkSteps/);
    expect(() => createScheduler('lms' as SchedulerKind, audio)).toThrow(/unknown scheduler "lms": expected one of euler, ddim, pndm, dpmpp2m/);
  });

  it('toJSON writes a diffusers scheduler_config.json that loads back', () => {
    const s = createScheduler('pndm', audio);
    const json = s.toJSON();
    expect(json).toMatchObject({ ...audioJson });
    expect(Object.keys(json)[0]).toBe('_class_name');
    expect(schedulerConfigFromJson(json)).toEqual(s.config);
    expect(schedulerConfigToJson(picture, 'EulerDiscreteScheduler')).toMatchObject(pictureJson);
  });
});
