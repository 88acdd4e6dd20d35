import { describe, expect, it } from 'vitest';
import { checkOutputExtension } from '../../../engine/io/outputFormat.js';
import { userError } from '../../helpers/userError.js';

describe('checkOutputExtension', () => {
  it('accepts the extensions of what is written, in any case, and returns it lower-cased', () => {
    expect(checkOutputExtension('set.WAV', ['.wav'], 'a WAV file')).toBe('.wav');
    expect(checkOutputExtension('dir.v2/show.mp4', ['.wav', '.mp4'], 'a WAV file or an MP4 video')).toBe('.mp4');
  });

  it('refuses a name that promises another format, naming the file and what it must end in', () => {
    expect(userError(() => checkOutputExtension('x.mp3', ['.wav'], 'a WAV file'))).toBe('x.mp3: writes a WAV file, so its name must end in .wav (not .mp3)');
    expect(userError(() => checkOutputExtension('x.jpg', ['.png'], 'a PNG image'))).toBe('x.jpg: writes a PNG image, so its name must end in .png (not .jpg)');
    expect(userError(() => checkOutputExtension('out', ['.wav', '.mp4'], 'a WAV file or an MP4 video'))).toBe(
      'out: writes a WAV file or an MP4 video, so its name must end in .wav or .mp4 (not no extension)');
  });
});
