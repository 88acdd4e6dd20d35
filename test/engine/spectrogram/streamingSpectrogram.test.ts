import { describe, expect, it } from 'vitest';
import { audioToImage } from '../../../engine/convert/audioToImage.js';
import { hzToMel } from '../../../engine/dsp/melFilterBank.js';
import { DEFAULT_SPECTROGRAM_PARAMS } from '../../../engine/spectrogram/params.js';
import { StreamingSpectrogram } from '../../../engine/spectrogram/streamingSpectrogram.js';
import { mulberry32 } from '../../helpers/prng.js';

const RATE = 44100;
const params = DEFAULT_SPECTROGRAM_PARAMS;

/** Stereo test audio: a gliding tone on the left, a chord on the right, some noise, a gap of silence. */
function music(seconds: number, seed = 7): [Float32Array, Float32Array] {
  const n = Math.round(seconds * RATE);
  const random = mulberry32(seed);
  const left = new Float32Array(n), right = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    phase += (2 * Math.PI * (300 + 1500 * t)) / RATE;
    const gate = t > 0.6 && t < 0.75 ? 0 : 1;
    left[i] = gate * (0.4 * Math.sin(phase) + 0.05 * (random() - 0.5));
    right[i] = gate * 0.2 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277 * t) + Math.sin(2 * Math.PI * 330 * t));
  }
  return [left, right];
}

function interleave(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length * 2);
  for (let i = 0; i < a.length; i++) {
    out[2 * i] = a[i]!;
    out[2 * i + 1] = b[i]!;
  }
  return out;
}

/** Offline image column x, rows top to bottom (the R channel of the grey image). */
function offlineColumn(image: { width: number; height: number; rgb: Uint8Array }, x: number): Uint8Array {
  const col = new Uint8Array(image.height);
  for (let row = 0; row < image.height; row++) col[row] = image.rgb[(row * image.width + x) * 3]!;
  return col;
}

describe('StreamingSpectrogram', () => {
  it('streams the columns of the offline audio-to-image conversion, whatever the chunk size', () => {
    const [left, right] = music(1.5);
    const offline = audioToImage({ sampleRate: RATE, channels: [left, right] }, 'mono', params);
    const stereo = interleave(left, right);

    for (const chunk of [1, 441, 512, 5000, stereo.length / 2]) {
      const s = new StreamingSpectrogram({ level: offline.maxValue, capacity: 256 });
      let completed = 0;
      for (let f = 0; f < left.length; f += chunk) completed += s.push(stereo, 2, Math.min(chunk, left.length - f), f * 2);
      // every column whose window lies inside the audio: the offline image has 5 more at the end,
      // reflected about the last sample, which a stream that goes on cannot know
      expect(completed).toBe(Math.floor((left.length - 2205) / 441) + 1);
      expect(offline.image.width - completed).toBe(5);
      const col = new Uint8Array(s.height);
      let worst = 0;
      for (let x = Math.max(0, completed - s.capacity); x < completed; x++) {
        s.copyColumns(x, 1, col);
        const ref = offlineColumn(offline.image, x);
        for (let r = 0; r < col.length; r++) worst = Math.max(worst, Math.abs(col[r]! - ref[r]!));
      }
      expect(worst, `chunk ${chunk}`).toBeLessThanOrEqual(1);
    }
  });

  it('matches the offline columns from the very first one (reflect padding at the start)', () => {
    const [left, right] = music(0.5, 3);
    const offline = audioToImage({ sampleRate: RATE, channels: [left, right] }, 'mono', params);
    const s = new StreamingSpectrogram({ level: offline.maxValue });
    s.push(interleave(left, right), 2);
    const col = new Uint8Array(s.height);
    for (const x of [0, 1, 2, 5]) {
      s.copyColumns(x, 1, col);
      expect(Array.from(col)).toEqual(Array.from(offlineColumn(offline.image, x)));
    }
  });

  it('auto level: a steady sound is drawn as its own offline image would be; silence stays white', () => {
    const n = RATE * 2;
    const tone = new Float32Array(n);
    for (let i = 0; i < n; i++) tone[i] = 0.3 * Math.sin((2 * Math.PI * 1000 * i) / RATE);
    const offline = audioToImage({ sampleRate: RATE, channels: [tone] }, 'mono', params);
    const s = new StreamingSpectrogram({ levelColumns: 100 });
    s.push(tone);
    const col = new Uint8Array(s.height);
    s.copyColumns(s.columnCount - 1, 1, col);
    const ref = offlineColumn(offline.image, s.columnCount - 1);
    let worst = 0;
    for (let r = 0; r < col.length; r++) worst = Math.max(worst, Math.abs(col[r]! - ref[r]!));
    expect(worst).toBeLessThanOrEqual(1);
    // the tone's band is black, where the mel scale puts 1 kHz
    const melRow = params.numFrequencies - 1 - Math.round((hzToMel(1000) / hzToMel(params.maxFrequency)) * (params.numFrequencies + 1) - 1);
    expect(Math.min(...col.subarray(melRow - 2, melRow + 3))).toBeLessThan(10);

    const quiet = new StreamingSpectrogram();
    quiet.push(new Float32Array(RATE));
    quiet.copyColumns(quiet.columnCount - 1, 1, col);
    expect(Math.min(...col)).toBe(255);
    expect(quiet.level).toBe(1e5);
  });

  it('keeps the last columns as a picture, and refuses columns it no longer has', () => {
    const [left, right] = music(1.2, 5);
    const s = new StreamingSpectrogram({ capacity: 64 });
    expect(s.picture(64)).toBeUndefined();
    s.push(interleave(left, right), 2);
    const picture = s.picture(64)!;
    expect(picture.width).toBe(64);
    expect(picture.height).toBe(512);
    const col = new Uint8Array(512);
    s.copyColumns(s.columnCount - 1, 1, col);
    for (let row = 0; row < 512; row += 37) expect(picture.rgb[(row * 64 + 63) * 3]).toBe(col[row]);
    expect(() => s.copyColumns(0, 1, col)).toThrow(RangeError);
    expect(() => s.copyColumns(s.columnCount, 1, col)).toThrow(RangeError);
  });

  it('analyses faster than real time, allocating nothing per column', () => {
    const [left, right] = music(2, 9);
    const stereo = interleave(left, right);
    const s = new StreamingSpectrogram();
    s.push(stereo.subarray(0, 44100), 2); // warm up
    const t0 = performance.now();
    for (let f = 22050; f < left.length; f += 512) s.push(stereo, 2, Math.min(512, left.length - f), f * 2);
    const seconds = (performance.now() - t0) / 1000;
    const audioSeconds = (left.length - 22050) / RATE;
    // wide margin: the machine is shared; streaming needs well under 1x real time on one core
    expect(seconds).toBeLessThan(audioSeconds);
  });
});
