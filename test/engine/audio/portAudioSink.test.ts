import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { listOutputDevices, PortAudioSink } from '../../../engine/audio/portAudioSink.js';
import { UserError } from '../../../engine/errors.js';
import { audioTestsDisabled, PULSE_INSTALL_HINT, usePulseNullSink } from '../../helpers/pulseAudio.js';
import { DEVICES, FakeBackend } from '../../helpers/fakePortAudio.js';
import type { PlayerMessage, PlayerScript } from './portAudioPlayer.js';

/** 64-frame chunks at 8 kHz: one per 8 ms, so these tests run in well under a second. */
const FAST = { sampleRate: 8000, channels: 2, framesPerChunk: 64, maxQueue: 2, ringChunks: 2 } as const;

function filled(value: number, n = FAST.framesPerChunk * FAST.channels): Float32Array {
  return new Float32Array(n).fill(value);
}

describe('PortAudioSink (fake PortAudio)', () => {
  it('picks the device by name or index and names the alternatives when nothing matches', async () => {
    const backend = new FakeBackend(DEVICES, 8);
    const byName = new PortAudioSink({ ...FAST, device: 'PULSE', backend });
    await byName.start();
    expect(byName.deviceName).toBe('pulse');
    expect(backend.streams[0].options).toMatchObject({ deviceId: 1, sampleRate: 8000, channelCount: 2, framesPerBuffer: 64, maxQueue: 2 });
    await byName.close();

    const byIndex = new PortAudioSink({ ...FAST, device: '2', backend });
    await byIndex.start();
    expect(byIndex.deviceName).toBe('default');
    await byIndex.close();

    const missing = new PortAudioSink({ ...FAST, device: 'focusrite', backend });
    const err = await missing.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(
      'no audio output matches "focusrite" (2 channels); available: 0 "HDA Intel PCH: ALC3246 Analog (hw:0,0)" (ALSA, 2 ch), 1 "pulse" (ALSA, 32 ch), 2 "default" (ALSA, 32 ch)',
    );
    await expect(new PortAudioSink({ ...FAST, device: 'a', backend }).start()).rejects.toThrow(/ambiguous/);
    expect(await listOutputDevices(backend)).toHaveLength(3); // the input-only "mic" is left out
  });

  it('turns an open failure into a UserError naming the device and format', async () => {
    const backend = new FakeBackend(DEVICES, 8);
    backend.available = false;
    await expect(new PortAudioSink({ ...FAST, device: 'pulse', backend }).start()).rejects.toThrow(
      'cannot open audio output "pulse" (8000 Hz, 2 ch, float32): Format not supported: Illegal combination of I/O devices',
    );
  });

  it('feeds silence when the producer is late, counts each gap once, and counts reported underruns', async () => {
    const backend = new FakeBackend(DEVICES, 8);
    const sink = new PortAudioSink({ ...FAST, device: 'pulse', backend });
    await sink.start();
    await sleep(40); // no producer yet: silence keeps the device fed, and is not an underflow
    expect(sink.stats.underflows).toBe(0);
    for (let i = 1; i <= 10; i++) await sink.write(filled(i / 100));
    await sleep(60); // a producer gap of several periods
    expect(sink.stats.underflows).toBe(1);
    const silentInGap = sink.stats.silentChunks;
    expect(silentInGap).toBeGreaterThan(2);
    backend.streams[0].statuses.push('portAudio status - output underflow ');
    for (let i = 11; i <= 20; i++) await sink.write(filled(i / 100));
    await sink.close();

    const stream = backend.streams[0];
    expect(stream.quitMode).toBe('WAIT');
    const audio = stream.played.map((c) => c[0]).filter((v) => v !== 0);
    expect(audio.map((v) => Math.round(v * 100))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1)); // all, in order
    expect(stream.played.every((c) => c.every((v) => v === c[0]))).toBe(true); // no torn chunks
    expect(sink.stats).toMatchObject({ underflows: 2, deviceUnderflows: 1, framesWritten: 20 * 64, errors: 0 });
  });

  it('paces the producer at the device rate through the ring', async () => {
    const backend = new FakeBackend(DEVICES, 8);
    const sink = new PortAudioSink({ ...FAST, device: 'pulse', backend });
    await sink.start();
    const chunk = filled(0.5);
    const t0 = performance.now();
    for (let i = 0; i < 40; i++) await sink.write(chunk);
    const ms = performance.now() - t0;
    await sink.close();
    // 40 chunks of 8 ms, minus what the ring and queue absorb up front (4 chunks); timers run late, never early
    expect(ms).toBeGreaterThan((40 - 6) * 8);
    expect(ms).toBeLessThan(40 * 8 * 2);
  });

  it('rejects chunks of the wrong size and overlapping writes', async () => {
    const sink = new PortAudioSink({ ...FAST, backend: new FakeBackend(DEVICES, 8) });
    expect(() => sink.write(filled(0))).toThrow(/before start/);
    await sink.start();
    expect(() => sink.write(new Float32Array(10))).toThrow(RangeError);
    void sink.write(filled(0));
    const second = sink.write(filled(0)); // ring of 2: this one waits
    expect(() => sink.write(filled(0))).toThrow(/previous write/);
    await second;
    await sink.close();
    expect(() => sink.write(filled(0))).toThrow(/after close/);
  });

  it('survives a device that stops: warns, keeps time while dropping, reopens when it returns', async () => {
    const backend = new FakeBackend(DEVICES, 8);
    const warnings: string[] = [];
    const sink = new PortAudioSink({ ...FAST, device: 'pulse', backend, stallTimeoutMs: 100, startTimeoutMs: 100, reopenIntervalMs: 50, onWarning: (m) => warnings.push(m) });
    await sink.start();
    const chunk = filled(0.25);
    for (let i = 0; i < 5; i++) await sink.write(chunk);

    backend.streams[0].dead = true; // the callback thread is gone: writes block forever
    backend.available = false;
    const state = (): string => sink.state; // a getter: TypeScript must not narrow it across awaits
    const t0 = performance.now();
    while (state() !== 'lost') await sink.write(chunk); // must not hang
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(warnings[0]).toMatch(/^audio output "pulse" failed: it took no audio for 0\.\d s\. Carrying on without sound; trying to reopen it every 0\.1 s$/);
    expect(backend.streams[0].quitMode).toBe('ABORT');

    // While gone, writes are dropped but paced: 25 chunks of 8 ms take about 200 ms minus the allowed lead.
    const t1 = performance.now();
    for (let i = 0; i < 25; i++) await sink.write(chunk);
    expect(performance.now() - t1).toBeGreaterThan((25 - 4) * 8 - 2);
    expect(sink.stats.droppedFrames).toBeGreaterThanOrEqual(25 * 64);
    expect(warnings).toContain('audio output still unavailable: cannot open audio output "pulse" (8000 Hz, 2 ch, float32): Format not supported: Illegal combination of I/O devices');

    backend.available = true;
    while (state() !== 'playing') await sink.write(chunk);
    expect(warnings.at(-1)).toBe('audio output "pulse" is back');
    for (let i = 0; i < 10; i++) await sink.write(chunk);
    await sink.close();
    expect(backend.streams).toHaveLength(2);
    expect(backend.streams[1].played.filter((c) => c[0] === 0.25).length).toBeGreaterThanOrEqual(10);
    expect(sink.stats).toMatchObject({ errors: 1, reopens: 1 });
    // the outage is a gap the audience heard: counted as an underrun, with the time it lasted
    expect(sink.stats.underflows).toBeGreaterThanOrEqual(1);
    expect(sink.stats.lostFrames).toBeGreaterThanOrEqual(25 * 64);
  });
});

// ---------------------------------------------------------------------------------------------
// The real thing: PortAudio → ALSA pulse plugin → a private PulseAudio null sink, recorded from
// the sink's monitor. Not skippable by accident: without PulseAudio these tests fail with the
// install command, unless SYNESTHETE_NO_AUDIO_TESTS=1 says to skip them.
// ---------------------------------------------------------------------------------------------

const PLAYER = fileURLToPath(new URL('./portAudioPlayer.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

interface PlayerRun {
  readonly messages: PlayerMessage[];
  readonly started: Promise<Extract<PlayerMessage, { type: 'started' }>>;
  readonly done: Promise<Extract<PlayerMessage, { type: 'done' }>>;
  /** Resolves with the first warning matching `re`. */
  warning(re: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves when the player process has ended (killed after `timeoutMs`). */
  ended(timeoutMs: number): Promise<void>;
}

const players = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const p of players) p.kill('SIGKILL'); // a failed test must not leave a player running
  players.clear();
});

/** Run portAudioPlayer.ts in a child with the PulseAudio environment (PortAudio reads it at load). */
function runPlayer(script: PlayerScript, env: NodeJS.ProcessEnv): PlayerRun {
  const child = spawn(process.execPath, ['--import', 'tsx', PLAYER, JSON.stringify(script)], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  players.add(child);
  let output = '';
  child.stdout!.on('data', (b: Buffer) => (output += b.toString())); // naudiodon's native prints
  child.stderr!.on('data', (b: Buffer) => (output += b.toString())); // ALSA/PortAudio diagnostics
  const messages: PlayerMessage[] = [];
  const listeners = new Set<() => void>();
  child.on('message', (m: PlayerMessage) => {
    messages.push(m);
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      players.delete(child);
      resolve(code);
    }),
  );
  const failure = (): Error => {
    const err = messages.find((m) => m.type === 'error');
    const hint = /no audio output/.test(err?.message ?? '') ? ` (${PULSE_INSTALL_HINT})` : '';
    return new Error(`player failed: ${err?.message ?? 'no result'}${hint}\n--- player output (tail) ---\n${output.slice(-3000)}`);
  };
  function waitFor<T extends PlayerMessage>(pick: (m: PlayerMessage) => m is T): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = messages.find(pick);
        if (m) resolve(m);
      };
      listeners.add(check);
      check();
      void exited.then(() => setImmediate(() => (messages.find(pick) ? check() : reject(failure()))));
    });
  }
  return {
    messages,
    started: waitFor((m): m is Extract<PlayerMessage, { type: 'started' }> => m.type === 'started'),
    done: waitFor((m): m is Extract<PlayerMessage, { type: 'done' }> => m.type === 'done'),
    async warning(re, timeoutMs) {
      const m = await Promise.race([
        waitFor((x): x is Extract<PlayerMessage, { type: 'warning' }> => x.type === 'warning' && re.test(x.message)),
        sleep(timeoutMs).then(() => undefined),
      ]);
      if (!m) throw new Error(`no warning matching ${re} within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
      return m.message;
    },
    async ended(timeoutMs) {
      if (!(await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]))) {
        child.kill('SIGKILL');
        throw new Error(`player did not exit within ${timeoutMs} ms`);
      }
    },
  };
}

interface Segment {
  readonly start: number;
  readonly seconds: number;
  readonly rms: number;
  readonly hz: number;
}

/**
 * Find the tones in a capture: 10 ms windows above an RMS threshold, joined into segments; each
 * segment's RMS and frequency (zero crossings) are measured away from its edges.
 */
function toneSegments(signal: Float32Array, sampleRate: number): Segment[] {
  const win = Math.round(sampleRate / 100);
  const loud: boolean[] = [];
  for (let w = 0; (w + 1) * win <= signal.length; w++) {
    let e = 0;
    for (let i = w * win; i < (w + 1) * win; i++) e += signal[i] ** 2;
    loud.push(Math.sqrt(e / win) > 0.02);
  }
  const segments: Segment[] = [];
  for (let w = 0; w < loud.length; ) {
    if (!loud[w]) {
      w++;
      continue;
    }
    const first = w;
    while (w < loud.length && loud[w]) w++;
    const from = first * win;
    const to = Math.min(w * win, signal.length);
    const edge = Math.round(0.05 * sampleRate);
    const inner = signal.subarray(from + edge, Math.max(from + edge, to - edge));
    let e = 0;
    let crossings = 0;
    for (let i = 0; i < inner.length; i++) {
      e += inner[i] ** 2;
      if (i > 0 && inner[i - 1] < 0 && inner[i] >= 0) crossings++;
    }
    segments.push({
      start: from / sampleRate,
      seconds: (to - from) / sampleRate,
      rms: Math.sqrt(e / Math.max(1, inner.length)),
      hz: (crossings * sampleRate) / Math.max(1, inner.length),
    });
  }
  return segments.filter((s) => s.seconds >= 0.1);
}

const AMPLITUDE = 0.2;
const SINE_RMS = AMPLITUDE / Math.SQRT2;

describe.skipIf(audioTestsDisabled())('PortAudioSink through PulseAudio (real time, recorded)', () => {
  const requirePulse = usePulseNullSink();

  it('plays in real time, counts a 0.5 s producer gap and a device underrun, and keeps playing after both', async () => {
    const p = requirePulse();
    const capture = p.record(8);
    const run = runPlayer(
      {
        sink: { device: 'pulse', sampleRate: p.sampleRate },
        steps: [
          { kind: 'tone', hz: 440, amplitude: AMPLITUDE, seconds: 2 },
          { kind: 'gap', seconds: 0.5 },
          { kind: 'tone', hz: 660, amplitude: AMPLITUDE, seconds: 1 },
          { kind: 'block', seconds: 0.25 }, // longer than everything buffered: PortAudio itself underruns
          { kind: 'tone', hz: 880, amplitude: AMPLITUDE, seconds: 0.5 },
        ],
      },
      p.env,
    );
    const started = await run.started;
    const done = await run.done;
    const [left] = await capture;
    await run.ended(5000);

    const [tone1, gap, tone2] = done.steps;
    const playMs = tone1.endedAt - tone1.startedAt;
    // A dropout of a few ms inside one tone (a loaded 2-core machine) splits it in two without
    // changing what this test checks: join pieces of the same tone less than 100 ms apart.
    const segments = joinShortGaps(toneSegments(left, p.sampleRate), 0.1);
    console.info(
      `[portAudioSink] device "${started.deviceName}", queue latency ${(started.queueLatency * 1000).toFixed(0)} ms; ` +
        `2 s of writes took ${playMs.toFixed(0)} ms; paced at ${(tone1.pacedMs! / tone1.pacedChunks!).toFixed(3)} ms/chunk ` +
        `(ideal ${((512 / 44100) * 1000).toFixed(3)}), jitter ${tone1.maxJitterMs!.toFixed(1)} ms; close (drain) ${done.closeMs.toFixed(0)} ms; ` +
        `underflows ${tone1.statsAfter.underflows} -> ${done.stats.underflows} (device-reported ${done.stats.deviceUnderflows}); ` +
        `capture: ${segments.map((s) => `${s.seconds.toFixed(3)} s @ ${s.hz.toFixed(1)} Hz rms ${s.rms.toFixed(4)} from ${s.start.toFixed(3)} s`).join('; ')}` +
        (segments.length > 1 ? `; silence between ${(segments[1].start - segments[0].start - segments[0].seconds).toFixed(3)} s` : ''),
    );

    // Paced like a sound card: 2 s of audio take about 2 s to hand over.
    expect(playMs).toBeGreaterThan(1800);
    expect(playMs).toBeLessThan(3500);
    // Steady state: one 512-frame chunk per 11.61 ms (±10%: a loaded 2-core machine skews the fit).
    const msPerChunk = tone1.pacedMs! / tone1.pacedChunks!;
    expect(msPerChunk).toBeGreaterThan(0.9 * (512 / 44.1));
    expect(msPerChunk).toBeLessThan(1.1 * (512 / 44.1));

    // What came out of the sink: 2 s of 440 Hz, about 0.5 s of silence, 1 s of 660 Hz, a dropout,
    // 0.5 s of 880 Hz, all at the written level.
    expect(segments).toHaveLength(3);
    const [s1, s2, s3] = segments;
    expect(s1.seconds).toBeCloseTo(2, 1);
    expect(s1.hz).toBeGreaterThan(435);
    expect(s1.hz).toBeLessThan(445);
    expect(s1.rms).toBeCloseTo(SINE_RMS, 2);
    const silence = s2.start - (s1.start + s1.seconds);
    expect(silence).toBeGreaterThan(0.4);
    expect(silence).toBeLessThan(0.7);
    expect(s2.seconds).toBeCloseTo(1, 1);
    expect(s2.hz).toBeGreaterThan(653);
    expect(s2.hz).toBeLessThan(667);
    expect(s2.rms).toBeCloseTo(SINE_RMS, 2);
    expect(s3.seconds).toBeCloseTo(0.5, 1);
    expect(s3.hz).toBeGreaterThan(870);
    expect(s3.hz).toBeLessThan(890);
    expect(s3.rms).toBeCloseTo(SINE_RMS, 2);

    // The gap was an underflow, and the stream survived it (closeOnError semantics: never closed).
    expect(gap.statsAfter.silentChunks).toBeGreaterThan(tone1.statsAfter.silentChunks);
    expect(done.stats.underflows).toBeGreaterThan(tone1.statsAfter.underflows);
    expect(tone2.statsAfter.framesWritten - gap.statsAfter.framesWritten).toBe(Math.round(44100 / 512) * 512);
    // The blocked main thread starved PortAudio: reported as a string by naudiodon, counted, not fatal.
    expect(tone2.statsAfter.deviceUnderflows).toBe(0);
    expect(done.stats.deviceUnderflows).toBeGreaterThan(0);
    expect(done.stats.errors).toBe(0);
  });

  it('carries on when PulseAudio dies, and plays again once it is back', async () => {
    const p = requirePulse();
    const run = runPlayer(
      {
        // Start-up grace above the null sink's 2 s block; loss detected after 1 s without progress.
        sink: { device: 'pulse', sampleRate: p.sampleRate, stallTimeoutMs: 1000, startTimeoutMs: 2500, reopenIntervalMs: 1000 },
        steps: [{ kind: 'tone', hz: 440, amplitude: AMPLITUDE, seconds: 10 }],
      },
      p.env,
    );
    await run.started;
    await sleep(1500);
    await p.crash();
    const lost = await run.warning(/failed/, 4000);
    await sleep(1200); // at least one failed reopen attempt while it is gone
    await p.revive();
    const back = await run.warning(/is back/, 4000);
    const [left] = await p.record(1.5);
    const done = await run.done;
    await run.ended(5000); // even with a native stop stuck on the dead stream

    const tone = done.steps[0];
    const wallMs = tone.endedAt - tone.startedAt;
    // A dropout of a few ms inside one tone (a loaded 2-core machine) splits it in two without
    // changing what this test checks: join pieces of the same tone less than 100 ms apart.
    const segments = joinShortGaps(toneSegments(left, p.sampleRate), 0.1);
    console.info(
      `[portAudioSink] device loss: "${lost}" / "${back}"; 10 s of writes took ${wallMs.toFixed(0)} ms; ` +
        `stats ${JSON.stringify(done.stats)}; after reopen: ${segments.map((s) => `${s.seconds.toFixed(2)} s @ ${s.hz.toFixed(1)} Hz rms ${s.rms.toFixed(4)}`).join('; ')}`,
    );
    expect(lost).toMatch(/^audio output "pulse" failed: it took no audio for \d+\.\d s\. Carrying on without sound/);
    expect(done.stats.errors).toBeGreaterThanOrEqual(1);
    expect(done.stats.reopens).toBeGreaterThanOrEqual(1);
    expect(done.stats.droppedFrames).toBeGreaterThan(0);
    // The producer kept real time through the outage (dropped writes are paced too, not rushed);
    // it only falls behind by the stalls before the loss was detected and while the new stream started.
    expect(wallMs).toBeGreaterThan(9500);
    expect(wallMs).toBeLessThan(15000);
    // And the tone is audible again after the reopen.
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(segments[0].hz).toBeGreaterThan(435);
    expect(segments[0].hz).toBeLessThan(445);
    expect(segments[0].rms).toBeCloseTo(SINE_RMS, 2);
  });
});

/** Joins consecutive tone segments of the same pitch separated by less than `gapSeconds`. */
function joinShortGaps<T extends { start: number; seconds: number; hz: number; rms: number }>(segments: T[], gapSeconds: number): T[] {
  const out: T[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && Math.abs(last.hz - s.hz) < 5 && s.start - (last.start + last.seconds) < gapSeconds) {
      const seconds = s.start + s.seconds - last.start;
      out[out.length - 1] = { ...last, seconds, rms: (last.rms * last.seconds + s.rms * s.seconds) / (last.seconds + s.seconds) };
    } else out.push(s);
  }
  return out;
}
