import { copyFileSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClockSource } from '../../../engine/audio/realtimeClock.js';
import { type SinkFile, WavFileSink, type WavFileSinkOptions } from '../../../engine/audio/wavFileSink.js';
import { WAV_HEADER_BYTES, writeWavHeader } from '../../../engine/audio/wavHeader.js';
import { UserError } from '../../../engine/errors.js';
import { readWav } from '../../../engine/io/wav.js';
import { tempDir } from '../../helpers/fixtures.js';

/** A clock that only moves when someone sleeps on it; `overshootMs` models a late timer. */
function fakeClock(overshootMs = 0): ClockSource & { t: number; sleeps: number[] } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms + overshootMs;
    },
  };
  return c;
}

/** Chunk k of a stereo test signal: left = k + i/1000 scaled, right = its negation. */
function chunkOf(k: number, frames: number): Float32Array {
  const c = new Float32Array(frames * 2);
  for (let i = 0; i < frames; i++) {
    c[2 * i] = ((k * frames + i) % 1000) / 1000 - 0.5;
    c[2 * i + 1] = -c[2 * i];
  }
  return c;
}

function sink(options: Partial<WavFileSinkOptions> = {}): WavFileSink {
  return new WavFileSink({ path: join(tempDir(), 'out.wav'), sampleRate: 44100, channels: 2, framesPerChunk: 441, ...options });
}

describe('WavFileSink', () => {
  it('streams a float32 WAV that engine/io/wav.ts reads back exactly', async () => {
    const s = sink();
    await s.start();
    const chunk = new Float32Array(441 * 2); // one buffer reused for every chunk, as the engine does
    for (let k = 0; k < 250; k++) {
      chunk.set(chunkOf(k, 441));
      await s.write(chunk);
    }
    await s.close();
    await s.close(); // idempotent

    const wav = readWav(s.config.path);
    expect(wav.sampleRate).toBe(44100);
    expect(wav.channels).toHaveLength(2);
    expect(wav.channels[0].length).toBe(250 * 441);
    for (const k of [0, 1, 99, 249]) {
      const expected = chunkOf(k, 441);
      for (const i of [0, 1, 440]) {
        expect(wav.channels[0][k * 441 + i]).toBe(expected[2 * i]);
        expect(wav.channels[1][k * 441 + i]).toBe(expected[2 * i + 1]);
      }
    }
    const bytes = readFileSync(s.config.path);
    expect(bytes.length).toBe(WAV_HEADER_BYTES + 250 * 441 * 8);
    expect(bytes.toString('latin1', 12, 16)).toBe('JUNK'); // room for a ds64 chunk past 4 GiB
    expect(s.stats).toMatchObject({ framesWritten: 250 * 441, underflows: 0, errors: 0 });
  });

  it('writes 16-bit PCM rounded and clipped like writeWav', async () => {
    const s = sink({ format: 'int16', channels: 1, framesPerChunk: 4 });
    await s.start();
    await s.write(Float32Array.of(0.5, -1.5, 2, Number.NaN));
    await s.close();
    const wav = readWav(s.config.path);
    expect(Array.from(wav.channels[0])).toEqual([0.5, -1, 32767 / 32768, 0]);
  });

  it('paces writes on a drift-free clock: frame n resolves at n / sampleRate, late timers do not add up', async () => {
    const clock = fakeClock(1); // every sleep overshoots by 1 ms, like setTimeout
    const s = sink({ paced: true, bufferChunks: 2, clock });
    await s.start();
    const chunk = chunkOf(0, 441); // 10 ms
    for (let k = 1; k <= 100; k++) {
      await s.write(chunk);
      // The first two chunks fill the simulated device buffer; then each write waits for its turn.
      const due = Math.max(0, (k - 2) * 10);
      expect(clock.t).toBeGreaterThanOrEqual(due);
      expect(clock.t).toBeLessThanOrEqual(due + 1);
    }
    // 98 sleeps, each shortened to make up for the previous overshoot: 980 ms + one overshoot, not + 98.
    expect(clock.t).toBe(981);
    expect(clock.sleeps.slice(1).every((ms) => Math.abs(ms - 9) < 1e-9)).toBe(true);
    expect(s.stats.underflows).toBe(0);
    await s.close();
  });

  it('fills a late producer’s gap with silence so the file keeps wall time, and counts it', async () => {
    const clock = fakeClock();
    const s = sink({ paced: true, bufferChunks: 2, clock });
    await s.start();
    const loud = new Float32Array(441 * 2).fill(0.5);
    for (let k = 0; k < 10; k++) await s.write(loud);
    expect(clock.t).toBe(80);
    clock.t += 100; // the producer stalls: the device plays its 20 ms of buffer, then runs dry for 80 ms
    await s.write(loud);
    for (let k = 0; k < 4; k++) await s.write(loud);
    await s.close();

    expect(s.stats).toMatchObject({ underflows: 1, insertedFrames: 8 * 441, framesWritten: 15 * 441 });
    const left = readWav(s.config.path).channels[0];
    expect(left.length).toBe(23 * 441);
    expect(left[10 * 441 - 1]).toBe(0.5);
    expect(left.subarray(10 * 441, 18 * 441).every((v) => v === 0)).toBe(true);
    expect(left[18 * 441]).toBe(0.5);
  });

  it('leaves a readable file when the process dies: everything up to the last header update', async () => {
    const s = sink(); // header update every 44100 frames (1 s)
    await s.start();
    for (let k = 0; k < 250; k++) await s.write(chunkOf(k, 441)); // 2.5 s
    // No close(): read what a killed process would leave (a copy, to be sure nothing is flushed later).
    const crashed = join(tempDir(), 'crashed.wav');
    copyFileSync(s.config.path, crashed);
    const wav = readWav(crashed);
    expect(wav.channels[0].length).toBe(2 * 44100);
    expect(wav.channels[0][2 * 44100 - 1]).toBe(chunkOf(199, 441)[2 * 440]);
    expect(readFileSync(crashed).length).toBe(WAV_HEADER_BYTES + 250 * 441 * 8); // the rest is on disk, undeclared
    await s.close();
    expect(readWav(s.config.path).channels[0].length).toBe(250 * 441);
  });

  it('fails at start with a UserError naming an unwritable path, and guards its contract', async () => {
    const s = new WavFileSink({ path: join(tempDir(), 'missing-dir', 'out.wav') });
    await expect(s.start()).rejects.toThrow(UserError);
    await expect(s.start()).rejects.toThrow(/missing-dir\/out\.wav: cannot create WAV file \(ENOENT\)/);
    const ok = sink();
    expect(() => ok.write(new Float32Array(882))).toThrow(/before start/);
    await ok.start();
    expect(() => ok.write(new Float32Array(10))).toThrow(RangeError);
    const first = ok.write(new Float32Array(882));
    expect(() => ok.write(new Float32Array(882))).toThrow(/previous write/);
    await first;
    await ok.close();
    expect(() => ok.write(new Float32Array(882))).toThrow(/after close/);
  });
});

describe('writeWavHeader', () => {
  it('switches to RF64 with a ds64 chunk (EBU Tech 3306) past 4 GiB, in place', () => {
    const h = Buffer.alloc(WAV_HEADER_BYTES);
    const dataBytes = 5_000_000_000; // float32 stereo: 625 000 000 frames, about 3.9 h at 44.1 kHz
    writeWavHeader(h, 'float32', 2, 44100, dataBytes);
    const u64 = (o: number) => h.readUInt32LE(o) + h.readUInt32LE(o + 4) * 2 ** 32; // low word first
    expect(h.toString('latin1', 0, 4)).toBe('RF64');
    expect(h.readUInt32LE(4)).toBe(0xffffffff);
    expect(h.toString('latin1', 12, 16)).toBe('ds64');
    expect(h.readUInt32LE(16)).toBe(28);
    expect(u64(20)).toBe(WAV_HEADER_BYTES - 8 + dataBytes);
    expect(u64(28)).toBe(dataBytes);
    expect(u64(36)).toBe(dataBytes / 8);
    expect(h.readUInt32LE(44)).toBe(0);
    expect(h.toString('latin1', 72, 76)).toBe('data');
    expect(h.readUInt32LE(76)).toBe(0xffffffff);

    writeWavHeader(h, 'int16', 1, 22050, 100); // the same buffer, back to plain RIFF
    expect(h.toString('latin1', 0, 4)).toBe('RIFF');
    expect(h.readUInt32LE(4)).toBe(172);
    expect(h.toString('latin1', 12, 16)).toBe('JUNK');
    expect(h.subarray(20, 48).every((b) => b === 0)).toBe(true);
    expect([h.readUInt16LE(56), h.readUInt16LE(58), h.readUInt32LE(60), h.readUInt32LE(64), h.readUInt16LE(68), h.readUInt16LE(70)]).toEqual([
      1, 1, 22050, 44100, 2, 16,
    ]);
  });
});

describe('WavFileSink paced, on a slow disk', () => {
  /** A real file whose writes wait until `release()`: a disk (or a busy thread pool) that stalls. */
  async function stalledDisk(path: string) {
    const file = await open(path, 'w');
    const newGate = () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => { resolve = r; });
      return { promise, resolve };
    };
    let gate = newGate();
    let calls = 0;
    const disk: SinkFile & { release(): void; stall(): void; calls(): number } = {
      async write(buffer, offset, length, position) {
        calls++;
        await gate.promise;
        return file.write(buffer, offset, length, position);
      },
      truncate: (length) => file.truncate(length),
      close: () => file.close(),
      release: () => gate.resolve(),
      stall: () => { gate = newGate(); },
      calls: () => calls,
    };
    return disk;
  }

  /** A started paced sink on a fake clock whose header landed and whose disk now stalls. */
  async function pacedOnStalledDisk() {
    const clock = fakeClock();
    const path = join(tempDir(), 'paced.wav');
    const disk = await stalledDisk(path);
    const s = sink({ path, paced: true, bufferChunks: 2, clock, openFile: async () => disk });
    disk.release(); // the header lands
    await s.start();
    disk.stall();
    return { clock, path, disk, s };
  }

  it('keeps the simulated device on time while the disk stalls, then writes everything in a few large writes', async () => {
    const { clock, path, disk, s } = await pacedOnStalledDisk();
    // 1.5 s of chunks while not one write returns: the device's clock is never late
    for (let k = 0; k < 150; k++) await s.write(chunkOf(k, 441));
    expect(clock.t).toBe(1480);
    expect(s.stats).toMatchObject({ underflows: 0, insertedFrames: 0, framesWritten: 150 * 441 });
    disk.release();
    await s.close();
    // one write was waiting, the other 149 chunks went in one more
    expect(disk.calls()).toBeLessThanOrEqual(1 + 2 + 1 + 1); // header, data (split at the ring's end at most), header on close
    const left = readWav(path).channels[0];
    expect(left.length).toBe(150 * 441);
    for (const k of [0, 1, 75, 149]) expect(left[k * 441 + 7]).toBe(chunkOf(k, 441)[14]);
  });

  it('waits for the disk only once it is a whole ring (2 s) behind, and counts that gap as an underflow', async () => {
    const { clock, path, disk, s } = await pacedOnStalledDisk();
    for (let k = 0; k < 200; k++) await s.write(chunkOf(k, 441)); // the ring holds 2 s: 200 chunks
    const blocked = s.write(chunkOf(200, 441));
    let done = false;
    void blocked.then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    clock.t += 500; // the disk is stuck for half a second more
    disk.release();
    await blocked;
    await s.write(chunkOf(201, 441));
    await s.close();
    expect(s.stats.underflows).toBe(1);
    expect(readWav(path).channels[0].length).toBe((202 * 441) + s.stats.insertedFrames);
  });
});
