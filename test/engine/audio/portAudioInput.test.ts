import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PortAudioInput } from '../../../engine/audio/portAudioInput.js';
import { UserError } from '../../../engine/errors.js';
import { FakeInputBackend, INPUT_DEVICES } from '../../helpers/fakeAudioInput.js';

const CHUNK = 64;

function chunk(value: number, channels = 2): Float32Array {
  return new Float32Array(CHUNK * channels).fill(value);
}

describe('PortAudioInput (fake PortAudio)', () => {
  it('picks the input by name or index, asks for at most the device\'s channels, and names the inputs when nothing matches', async () => {
    const backend = new FakeInputBackend(INPUT_DEVICES);
    const mixer = new PortAudioInput({ device: 'djm', backend, framesPerChunk: CHUNK });
    await mixer.start(() => undefined);
    expect(mixer.deviceName).toBe('DJM-450: USB Audio (hw:1,0)');
    expect(backend.inputs[0]!.options).toMatchObject({ deviceId: 1, sampleRate: 44100, channelCount: 2, framesPerBuffer: CHUNK });
    expect(mixer.latency).toBeCloseTo(0.008 + CHUNK / 44100, 6);
    await mixer.close();

    const mic = new PortAudioInput({ device: '2', backend, framesPerChunk: CHUNK });
    await mic.start(() => undefined);
    expect(mic.channels).toBe(1);
    await mic.close();

    const err = await new PortAudioInput({ device: 'focusrite', backend }).start(() => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('no audio input matches "focusrite" (1 channel); available: 1 "DJM-450: USB Audio (hw:1,0)" (ALSA, 2 ch in), 2 "mic" (ALSA, 1 ch in), 3 "pulse" (ALSA, 32 ch in)');
    await expect(new PortAudioInput({ device: '0', backend }).start(() => undefined)).rejects.toThrow(/no audio input with index 0/);
    const none = new FakeInputBackend([INPUT_DEVICES[0]!]);
    await expect(new PortAudioInput({ backend: none }).start(() => undefined)).rejects.toThrow('no audio input to listen to: PortAudio found no audio input');
    backend.available = false;
    await expect(new PortAudioInput({ device: 'mic', backend }).start(() => undefined)).rejects.toThrow('cannot open audio input "mic" (44100 Hz, 1 ch, float32): Could not open stream: Device unavailable');
  });

  it('delivers every captured chunk in order, counts overflows, and stops on close', async () => {
    const backend = new FakeInputBackend(INPUT_DEVICES);
    const input = new PortAudioInput({ device: 'pulse', backend, framesPerChunk: CHUNK });
    const got: number[] = [];
    await input.start((frames, n) => {
      expect(n).toBe(CHUNK);
      got.push(frames[0]!, frames[2 * CHUNK - 1]!);
    });
    const stream = backend.inputs[0]!;
    stream.capture(chunk(0.25));
    stream.capture(chunk(0.5));
    stream.statuses.push('portAudio status - input overflow ');
    stream.capture(chunk(0.75));
    await sleep(5);
    expect(got).toEqual([0.25, 0.25, 0.5, 0.5, 0.75, 0.75]);
    expect(input.stats).toEqual({ framesRead: 3 * CHUNK, overflows: 1, errors: 0 });
    await input.close();
    expect(stream.quitMode).toBe('ABORT');
    stream.capture(chunk(1));
    await sleep(5);
    expect(got).toHaveLength(6);
  });

  it('reports a stalled device once, keeps retrying, and listens again when it is back', async () => {
    const backend = new FakeInputBackend(INPUT_DEVICES);
    const warnings: string[] = [];
    const input = new PortAudioInput({ device: 'pulse', backend, framesPerChunk: CHUNK, stallTimeoutMs: 60, startTimeoutMs: 60, reopenIntervalMs: 20, onWarning: (m) => warnings.push(m) });
    let frames = 0;
    await input.start((_f, n) => { frames += n; });
    backend.inputs[0]!.capture(chunk(0.1));
    await sleep(5);
    backend.inputs[0]!.dead = true;
    backend.available = false;
    await sleep(200);
    expect(warnings[0]).toMatch(/^audio input "pulse" failed: no audio for 0\.\d s\. Listening stops; trying to reopen it every 0\.0 s$/);
    expect(warnings.filter((w) => w.startsWith('audio input still unavailable'))).toHaveLength(1); // said once, not every try
    backend.available = true;
    await sleep(60);
    expect(warnings.at(-1)).toBe('audio input "pulse" is back');
    backend.inputs.at(-1)!.capture(chunk(0.2));
    await sleep(5);
    expect(frames).toBe(2 * CHUNK);
    expect(input.stats.errors).toBe(1);
    await input.close();
  });
});
