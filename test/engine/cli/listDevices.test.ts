import { describe, expect, it } from 'vitest';
import type { PortAudioBackend } from '../../../engine/audio/naudiodonBackend.js';
import type { OutputDeviceInfo } from '../../../engine/audio/outputDevices.js';
import { formatDeviceList, listDevices } from '../../../engine/cli/listDevices.js';

const device = (id: number, name: string, maxOutputChannels: number, maxInputChannels = 0): OutputDeviceInfo =>
  ({ id, name, maxOutputChannels, maxInputChannels, defaultSampleRate: 44100, defaultLowOutputLatency: 0, hostAPIName: 'ALSA' });

const backendWith = (devices: OutputDeviceInfo[]): PortAudioBackend => ({
  getDevices: () => devices,
  openOutput: () => { throw new Error('not used'); },
  openInput: () => { throw new Error('not used'); },
});

describe('--list-devices', () => {
  it('lists every output with the --audio-device values that pick it, then the inputs with their --listen values', async () => {
    let text = '';
    await listDevices((t) => { text += t; }, backendWith([device(0, 'HDA Intel PCH: ALC3246 Analog (hw:0,0)', 2, 2), device(1, 'mic', 0, 1), device(12, 'pulse', 32, 32), device(13, 'mono', 1)]));
    expect(text.split('\n')).toEqual([
      '   0  HDA Intel PCH: ALC3246 Analog (hw:0,0)  ALSA, 2 ch, 44100 Hz  (--audio-device 0 or --audio-device "HDA Intel PCH: ALC3246 Analog (hw:0,0)")',
      '  12  pulse                                   ALSA, 32 ch, 44100 Hz  (--audio-device 12 or --audio-device "pulse")',
      '  13  mono                                    ALSA, 1 ch, 44100 Hz  (fewer than 2 channels)',
      'inputs for --listen:',
      '   0  HDA Intel PCH: ALC3246 Analog (hw:0,0)  ALSA, 2 ch in, 44100 Hz  (--listen 0 or --listen "HDA Intel PCH: ALC3246 Analog (hw:0,0)")',
      '   1  mic                                     ALSA, 1 ch in, 44100 Hz  (--listen 1 or --listen "mic")',
      '  12  pulse                                   ALSA, 32 ch in, 44100 Hz  (--listen 12 or --listen "pulse")',
      '',
    ]);
  });

  it('with no sound card says so on one line and suggests --wav', () => {
    expect(formatDeviceList([])).toBe('no audio outputs: PortAudio found no audio devices at all (no sound card, or no ALSA plugin such as pulse/pipewire); to play into a file instead, use --wav FILE\n'
      + 'no audio inputs for --listen: PortAudio found no audio devices at all (no sound card, or no ALSA plugin such as pulse/pipewire)\n');
    expect(formatDeviceList([device(3, 'mono', 1)])).toMatch(/^no audio outputs: PortAudio found no device with 2 output channels; .*--wav FILE\nno audio inputs for --listen: PortAudio found no audio input .*\n$/);
  });
});
