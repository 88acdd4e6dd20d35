import { afterAll, describe, expect, it } from 'vitest';
import { MelAnalyzer } from '../../../engine/dsp/melSpectrogram.js';
import { spectralConvergence } from '../../../engine/dsp/spectralConvergence.js';
import { readPng } from '../../../engine/io/png.js';
import { reconstructAudio } from '../../../engine/reconstruct/reconstructAudio.js';
import { ReconstructionPool } from '../../../engine/reconstruct/reconstructionPool.js';
import { StreamingReconstructor } from '../../../engine/reconstruct/streamingReconstructor.js';
import { imageToSpectrogram } from '../../../engine/spectrogram/image.js';
import { DEFAULT_SPECTROGRAM_PARAMS as P } from '../../../engine/spectrogram/params.js';
import { fixture } from '../../helpers/fixtures.js';

const M = P.numFrequencies;
const hop = 441;
const pool = new ReconstructionPool({ threads: 2 });
const inline = new ReconstructionPool({ threads: 0 });
const analyzer = new MelAnalyzer(P);
afterAll(async () => {
  await pool.dispose();
  await inline.dispose();
});

/** A steady chord: any phase jump in its reconstruction is an audible click. */
function chordMel(columns: number): Float32Array {
  const n = (columns - 1) * hop;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / P.sampleRate;
    x[i] = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 331 * t + 1) + 0.1 * Math.sin(2 * Math.PI * 497 * t + 2);
  }
  return analyzer.analyze(x).data;
}

function score(mel: Float32Array, columns: number, audio: Float32Array): number {
  const m = analyzer.analyze(audio);
  return spectralConvergence(mel, columns, m.data, m.numFrames, M, Math.min(columns, m.numFrames));
}

/**
 * Energy of the second difference (a high-pass that mutes the chord, not a jump) in 10 ms around
 * `at`, relative to its median over the signal.
 */
function clickiness(x: Float32Array, at: number): number {
  const win = 440;
  const energy = (s: number) => {
    let e = 0;
    for (let i = s + 2; i < s + win; i++) e += (x[i]! - 2 * x[i - 1]! + x[i - 2]!) ** 2;
    return e;
  };
  const all: number[] = [];
  for (let s = 0; s + win < x.length; s += win) all.push(energy(s));
  all.sort((a, b) => a - b);
  return energy(at - (win >> 1)) / all[all.length >> 1]!;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

describe('reconstructAudio', () => {
  const image = readPng(fixture('riffusion/seed_images/og_beat.png'));
  const [ogBeat] = imageToSpectrogram(image, { channels: 'r', powerForImage: P.powerForImage });

  it("gives Riffusion's length and beats Riffusion's 0.195 spectral convergence on og_beat", async () => {
    const [audio] = await reconstructAudio([ogBeat!], 512, P, pool);
    expect(audio!.length).toBe(511 * hop);
    expect(score(ogBeat!, 512, audio!)).toBeLessThan(0.195);
  });

  it('the phase-gradient start needs fewer iterations than zero phase', async () => {
    const [pghi] = await reconstructAudio([ogBeat!], 512, P, pool, { iterations: 0 });
    const [zero] = await reconstructAudio([ogBeat!], 512, P, pool, { iterations: 0, init: 'zero' });
    const [zero8] = await reconstructAudio([ogBeat!], 512, P, pool, { iterations: 8, init: 'zero' });
    expect(score(ogBeat!, 512, pghi!)).toBeLessThan(score(ogBeat!, 512, zero!) / 3);
    expect(score(ogBeat!, 512, pghi!)).toBeLessThan(score(ogBeat!, 512, zero8!));
  });

  it('splits work between threads without changing a single sample', async () => {
    const [threaded] = await reconstructAudio([ogBeat!], 512, P, pool);
    const [single] = await reconstructAudio([ogBeat!], 512, P, inline);
    expect(Buffer.from(threaded!.buffer).equals(Buffer.from(single!.buffer))).toBe(true);
  });

  it('reconstructs long images in overlapping chunks as well as in one piece', async () => {
    const columns = 1300;
    const wide = new Float32Array(M * columns);
    for (let m = 0; m < M; m++) for (let c = 0; c < columns; c++) wide[m * columns + c] = ogBeat![m * 512 + (c % 512)]!;
    const [chunked] = await reconstructAudio([wide], columns, P, pool, { chunkColumns: 400 });
    const [whole] = await reconstructAudio([wide], columns, P, pool, { chunkColumns: 2000 });
    expect(chunked!.length).toBe((columns - 1) * hop);
    expect(whole!.length).toBe((columns - 1) * hop);
    expect(score(wide, columns, chunked!)).toBeLessThan(score(wide, columns, whole!) + 0.01);
    // no seam: around each chunk boundary the chunked signal is no rougher than the one-piece one
    for (const boundary of [400, 800, 1200]) {
      for (const at of [boundary - 16, boundary - 8, boundary]) {
        expect(clickiness(chunked!, at * hop)).toBeLessThan(1.5 * clickiness(whole!, at * hop) + 0.5);
      }
    }
  });

  it('circular mode gives a loop of exactly hop * columns samples that wraps without a click', async () => {
    const chord = chordMel(256);
    const [loop] = await reconstructAudio([chord], 256, P, pool, { circular: true });
    expect(loop!.length).toBe(256 * hop);
    const twice = concat([loop!, loop!]);
    expect(clickiness(twice, loop!.length)).toBeLessThan(3);
  });
});

describe('StreamingReconstructor', () => {
  it('continues the phase from one segment to the next, where separate reconstructions click', async () => {
    const columns = 256;
    const chord = chordMel(columns);
    const stream = new StreamingReconstructor(1, P, pool);
    const parts = [await stream.push([chord], columns), await stream.push([chord], columns), stream.flush()];
    const streamed = concat(parts.map((p) => p[0]!));
    expect(streamed.length).toBe((2 * columns - 1) * hop);

    const [alone] = await reconstructAudio([chord], columns, P, pool);
    const separate = concat([alone!, alone!]);
    const streamedClick = clickiness(streamed, columns * hop);
    expect(streamedClick).toBeLessThan(3);
    expect(clickiness(separate, alone!.length)).toBeGreaterThan(3 * streamedClick);
  });

  it('returns audio as it goes, so memory does not grow with the stream', async () => {
    const chord = chordMel(128);
    const stream = new StreamingReconstructor(1, P, pool);
    const lengths: number[] = [];
    for (let i = 0; i < 5; i++) lengths.push((await stream.push([chord], 128))[0]!.length);
    // after the first push every push yields one push's worth of samples
    for (const n of lengths.slice(1)) expect(n).toBe(128 * hop);
  });
});

describe('ReconstructionPool', () => {
  it('rejects a job whose thread fails and keeps working afterwards', async () => {
    const local = new ReconstructionPool({ threads: 2 });
    try {
      const chord = chordMel(64);
      const broken = reconstructAudio([chord.subarray(0, 10)], 64, P, local);
      await expect(broken).rejects.toThrow();
      const [ok] = await reconstructAudio([chord], 64, P, local);
      expect(ok!.length).toBe(63 * hop);
    } finally {
      await local.dispose();
    }
  });

  it('rejects a job it was running when disposed, instead of leaving it pending', async () => {
    const local = new ReconstructionPool({ threads: 2 });
    const wide = chordMel(2048);
    const job = reconstructAudio([wide], 2048, P, local, { chunkColumns: 4096 });
    await new Promise((r) => setTimeout(r, 50));
    await local.dispose();
    await expect(job).rejects.toThrow(/disposed/);
  });
});
