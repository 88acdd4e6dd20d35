import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAV_HEADER_BYTES } from '../../../engine/audio/wavHeader.js';
import { type SinkFile, WavFileSink } from '../../../engine/audio/wavFileSink.js';
import { UserError } from '../../../engine/errors.js';
import { readWav } from '../../../engine/io/wav.js';
import { tempDir } from '../../helpers/fixtures.js';

/**
 * A real file on a disk that fills up after `capacity` bytes, the way Linux reports it: the write
 * that crosses the limit is short (part of it lands), the next one fails with ENOSPC.
 */
async function fullDisk(path: string, capacity: number): Promise<SinkFile> {
  const file = await open(path, 'w');
  let size = 0;
  return {
    async write(buffer, offset, length, position) {
      const room = Math.max(0, capacity - position);
      if (room === 0 && position >= size) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      const n = Math.min(length, position < size ? length : room);
      const r = await file.write(buffer, offset, n, position);
      size = Math.max(size, position + r.bytesWritten);
      return r;
    },
    truncate: (length) => file.truncate(length),
    close: () => file.close(),
  };
}

const chunk = (k: number) => new Float32Array(441 * 2).map((_, i) => ((k * 7 + i) % 100) / 100 - 0.5);

describe('WavFileSink on a full disk', () => {
  // paced: the disk writes follow behind the device's clock, several chunks at a time
  it.each([['as fast as it goes', false], ['paced in real time', true]])('%s: leaves a readable file whose header declares exactly what was written, and says so once', async (_, paced) => {
    const path = join(tempDir(), 'full.wav');
    const warnings: string[] = [];
    // room for the header and 10.5 chunks: the 11th write is short, the 12th fails
    const capacity = WAV_HEADER_BYTES + 10.5 * 441 * 8;
    const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => { clock.t += ms; } };
    const sink = new WavFileSink({ path, sampleRate: 44100, channels: 2, framesPerChunk: 441, onWarning: (m) => warnings.push(m), openFile: (p) => fullDisk(p, capacity),
      paced, clock });
    await sink.start();
    for (let k = 0; k < 30; k++) await sink.write(chunk(k));
    await sink.close();
    // paced, the simulated device kept its pace through the failure: 30 chunks of 10 ms, 2 of them queued
    if (paced) expect(clock.t).toBe(280);
    expect(sink.stats).toMatchObject({ underflows: 0, framesWritten: 30 * 441 });

    expect(warnings).toEqual([`WAV output: ${path}: cannot write (ENOSPC); the recording stops here`]);
    expect(sink.failure).toBe(`${path}: cannot write (ENOSPC); the recording stops here`);
    expect(sink.stats.errors).toBeGreaterThan(0);
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(WAV_HEADER_BYTES + 10 * 441 * 8); // the torn 11th chunk is cut off
    expect(bytes.readUInt32LE(76)).toBe(10 * 441 * 8); // data size = what is there
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8); // RIFF size too
    const wav = readWav(path);
    expect(wav.channels[0]!.length).toBe(10 * 441);
    expect(wav.channels[1]![10 * 441 - 1]).toBe(chunk(9)[2 * 440 + 1]);
  });

  it('has no failure when every write lands', async () => {
    const sink = new WavFileSink({ path: join(tempDir(), 'ok.wav'), framesPerChunk: 441 });
    await sink.start();
    await sink.write(chunk(0));
    await sink.close();
    expect(sink.failure).toBeUndefined();
  });

  it('reports the real cause when the file cannot be created (EACCES, not ENOENT)', async () => {
    const path = join(tempDir(), 'ro.wav');
    const denied = async (): Promise<SinkFile> => { throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }); };
    const sink = new WavFileSink({ path, openFile: denied });
    await expect(sink.start()).rejects.toThrow(UserError);
    await expect(new WavFileSink({ path, openFile: denied }).start()).rejects.toThrow(`${path}: cannot create WAV file (EACCES)`);
  });
});
