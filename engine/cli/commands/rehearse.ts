import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { Command } from 'commander';
import { UserError } from '../../errors.js';
import { checkOutputExtension } from '../../io/outputFormat.js';
import { checkOutputTargets } from '../../io/outputSet.js';
import { SessionSegmentSource } from '../../live/session/sessionSegmentSource.js';
import { VisualTimeline, renderVideoFrame, videoFrameAt } from '../../live/session/sessionVideo.js';
import { cleanupOnSignal } from '../cleanupOnSignal.js';
import { type ShowOutput, openShow } from '../../show/openShow.js';
import { BUFFER_HELP, bufferOption } from '../bufferOption.js';
import { runAction } from '../runAction.js';
import { checkSummaryPath, exitSoon, runShow } from '../showRunner.js';
import type { RunSummary } from '../../../control/protocol/summary.js';
import { stepProgress } from '../stepProgress.js';
import type { SurfaceStarter } from '../../../control/protocol/surface.js';
import { type OscFlags, addOscOptions, oscSurfaces } from '../oscOptions.js';
import { type WebFlags, addWebOptions, announceWeb, webSurfaces } from '../webOptions.js';
import { type StartedVisuals, type VisualsFlags, type VisualsPlan, addVisualsOptions, showOutputUrl, startVisuals, visualsEnvironment, visualsPlan } from '../visualsOptions.js';

/** damaged journals already reported: `render DIR OUT.mp4` opens the session twice */
const reportedDamage = new Set<string>();

function openSession(dir: string): SessionSegmentSource {
  const source = new SessionSegmentSource(dir);
  if (source.damage && !reportedDamage.has(source.damage)) {
    reportedDamage.add(source.damage);
    warn(source.damage);
  }
  if (source.boundaries.length === 0) throw new UserError(`${dir}: the session has no recorded segments`);
  return source;
}

/**
 * Plays a recorded session: the recorded segments at the frames they started at, with the
 * recorded instant controls, so the audio is what the show played. Commands are not re-applied:
 * they would not change recorded audio. `live`: what a rehearsal in real time adds (control
 * surfaces, the projector output).
 */
async function playSession(dir: string, output: ShowOutput, summaryFile: string | undefined, verb: string,
  onWarning: (message: string) => void = warn, log = true,
  live: { readonly surfaces?: readonly SurfaceStarter[]; readonly bind?: string | undefined; readonly visuals?: VisualsPlan } = {}): Promise<{ summary: RunSummary; writeErrors: number }> {
  const show = await openShow({ session: dir, output, onWarning, surfaces: live.surfaces ?? [] });
  for (const s of show.surfaces) if (s.description) process.stderr.write(`synesthete: ${s.description} (docs/control.md)\n`);
  await announceWeb(show.surfaces, live.bind, (line) => process.stderr.write(`synesthete: ${line}\n`));
  const damage = show.session!.damage;
  if (damage && !reportedDamage.has(damage)) {
    reportedDamage.add(damage);
    warn(damage);
  }
  let window: StartedVisuals | undefined;
  try {
    window = await startVisuals(live.visuals ?? { kind: 'none' }, showOutputUrl(show));
    const summary = await runShow(show, show.session!.durationSeconds, summaryFile, verb, log);
    return { summary, writeErrors: show.host.stats().errors };
  } finally {
    await window?.dispose();
  }
}

interface RehearseFlags extends OscFlags, WebFlags, VisualsFlags {
  readonly audioDevice?: string;
  readonly wav?: string;
  readonly realtime?: boolean;
  readonly summary?: string;
  readonly buffer?: string;
}

const warn = (m: string) => process.stderr.write(`synesthete: warning: ${m}\n`);

/** `rehearse DIR`: replay a recorded session, live or to a file. */
export function rehearseCommand(): Command {
  return addVisualsOptions(addWebOptions(addOscOptions(new Command('rehearse')
    .summary('replay a recorded session with the same audio (no models or GPU needed)')
    .description('Play a session recorded with `perform --record DIR`: the same segments in the same order, so the same audio. See docs/sessions.md.')
    .argument('<dir>', 'session folder (journal.jsonl + segments/)')
    .option('--audio-device <name>', 'PortAudio output (name substring or index; default: the system default)')
    .option('--buffer <ms>', BUFFER_HELP)
    .option('--wav <out.wav>', 'write to a WAV file instead of a sound card')
    .option('--realtime', 'with --wav: pace the file at real time')
    .option('--summary <file.json>', 'write the run summary as JSON')
    .addHelpText('after', '\nWhile it plays in real time, the control page, the projector (/output) and OSC are there as in perform (docs/control.md),\n'
      + 'and the projector window opens as for perform (--projector, --visuals, --headless; docs/visuals.md).\n'
      + '\nExamples:\n  $ synesthete rehearse sessions/friday\n  $ synesthete rehearse sessions/friday --projector 2\n  $ synesthete rehearse sessions/friday --wav friday.wav\n'))))
    .action(runAction(async (dir: string, opts: RehearseFlags) => {
      checkSummaryPath(opts.summary);
      if (opts.wav && opts.audioDevice) throw new UserError('--wav and --audio-device cannot be combined: choose one output');
      if (opts.wav) checkOutputExtension(opts.wav, ['.wav'], 'a WAV file');
      const output: ShowOutput = opts.wav ? { kind: 'wav', path: opts.wav, realtime: opts.realtime === true, ...bufferOption(opts.buffer, opts.realtime === true) }
        : { kind: 'device', ...(opts.audioDevice !== undefined ? { device: opts.audioDevice } : {}), ...bufferOption(opts.buffer) };
      const realtime = !opts.wav || opts.realtime === true;
      const visuals = visualsPlan(opts, realtime, visualsEnvironment());
      const surfaces = [...webSurfaces(opts, realtime), ...oscSurfaces(opts, realtime)];
      try {
        await playSession(dir, output, opts.summary, 'rehearsed', warn, true, { surfaces, bind: opts.bind, visuals });
      } finally {
        exitSoon();
      }
    }));
}

/** `render DIR OUT.wav|OUT.mp4`: a recorded session, offline, to a file. */
export function renderCommand(): Command {
  return new Command('render')
    .summary('render a recorded session offline to a WAV file or a video')
    .description('Render a session recorded with `perform --record DIR`: OUT.wav (32-bit float stereo), or OUT.mp4, a video of the '
      + 'scrolling spectrogram with its audio (needs ffmpeg). As fast as the machine allows. See docs/sessions.md.')
    .argument('<dir>', 'session folder (journal.jsonl + segments/)')
    .argument('<out>', 'output file: .wav or .mp4')
    .option('--size <WxH>', 'video frame size', '1280x720')
    .option('--fps <n>', 'video frames per second', '30')
    .addHelpText('after', '\nExamples:\n  $ synesthete render sessions/friday friday.wav\n  $ synesthete render sessions/friday friday.mp4 --size 1920x1080\n')
    .action(runAction(async (dir: string, out: string, opts: { size: string; fps: string }) => {
      const ext = checkOutputExtension(out, ['.wav', '.mp4'], 'a WAV file or an MP4 video');
      checkOutputTargets([out]);
      if (ext === '.mp4') {
        await renderVideo(dir, out, parseSize(opts.size), parseFps(opts.fps));
        return;
      }
      const seconds = await withPendingFile(out, async (partial) => renderAudio(dir, partial, out));
      process.stderr.write(`synesthete: rendered ${seconds.toFixed(1)} s to ${out}\n`);
    }));
}

/**
 * The session's audio to `file`, offline. A write error (disk full) is an error here: the file
 * would not hold the whole session. `shownAs` names the file in messages.
 * @returns seconds rendered
 */
async function renderAudio(dir: string, file: string, shownAs: string): Promise<number> {
  let failure: string | undefined;
  let played: Awaited<ReturnType<typeof playSession>>;
  try {
    // the sink's warning says what failed; as the command's own error it needs no "WAV output:" label
    played = await playSession(dir, { kind: 'wav', path: file }, undefined, `rendered ${shownAs}:`, (m) => { failure ??= m.replace(/^WAV output: /, ''); }, false);
  } catch (e) {
    const message = failure ?? (e instanceof UserError ? e.message : undefined);
    if (message !== undefined) throw new UserError(message.replaceAll(file, shownAs));
    throw e;
  }
  if (played.writeErrors > 0) throw new UserError((failure ?? `${file}: write failed`).replaceAll(file, shownAs));
  return played.summary.durationSeconds;
}

/**
 * Runs `work` on a hidden temporary sibling of `out`, renamed over `out` when it succeeds. On
 * failure or interruption (Ctrl-C, kill) the temporary file is removed and an earlier `out` is
 * left as it was: a failed render leaves nothing behind and loses nothing.
 */
async function withPendingFile<T>(out: string, work: (partial: string) => Promise<T>, cleanup: () => void = () => undefined): Promise<T> {
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.pending${extname(out)}`);
  const remove = () => {
    cleanup();
    rmSync(partial, { force: true });
  };
  const release = cleanupOnSignal(remove);
  try {
    const result = await work(partial);
    try {
      renameSync(partial, out);
    } catch (e) {
      throw new UserError(`${out}: cannot write output (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return result;
  } finally {
    release();
    remove();
  }
}

function parseSize(raw: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(raw.trim());
  const width = Number(m?.[1]), height = Number(m?.[2]);
  if (!m || width < 16 || height < 16 || width > 7680 || height > 4320 || width % 2 || height % 2) {
    throw new UserError(`--size ${JSON.stringify(raw)}: expected WIDTHxHEIGHT, even numbers from 16x16 to 7680x4320`);
  }
  return { width, height };
}

function parseFps(raw: string): number {
  const fps = Number(raw);
  if (!Number.isInteger(fps) || fps < 1 || fps > 120) throw new UserError(`--fps ${JSON.stringify(raw)}: expected a whole number from 1 to 120`);
  return fps;
}

/** The session's audio (offline) and a scrolling-spectrogram video piped to ffmpeg, written all or nothing. */
async function renderVideo(dir: string, out: string, size: { width: number; height: number }, fps: number): Promise<void> {
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) {
    throw new UserError(`${out}: video rendering needs ffmpeg, which was not found (Debian/Ubuntu: apt-get install ffmpeg)`);
  }
  const source = openSession(dir);
  const work = mkdtempSync(join(tmpdir(), 'synesthete-render-'));
  let ffmpeg: ReturnType<typeof spawn> | undefined;
  const progress = stepProgress();
  const cleanup = () => {
    progress.stop();
    ffmpeg?.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  };
  const duration = await withPendingFile(out, async (partial) => {
    const audioFile = join(work, 'audio.wav');
    await renderAudio(dir, audioFile, `${out} (its audio track)`);
    const pieces = source.timeline();
    const duration = pieces.reduce((s, p) => Math.max(s, p.start + p.duration), 0);
    const frames = Math.ceil(duration * fps);
    const child = spawn('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size.width}x${size.height}`,
      '-r', String(fps), '-i', '-', '-i', audioFile, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '192k', '-shortest', '-f', 'mp4', partial], { stdio: ['pipe', 'ignore', 'pipe'] });
    ffmpeg = child;
    let errors = '';
    child.stderr.on('data', (d: Buffer) => { errors += d.toString(); });
    // an ffmpeg that dies early closes its stdin under us: that is its failure, reported below
    child.stdin.on('error', () => undefined);
    let done = false;
    const exited = new Promise<number>((resolve) => {
      child.on('error', () => { done = true; resolve(127); });
      child.on('close', (code) => { done = true; resolve(code ?? 1); });
    });
    const frame = new Uint8Array(size.width * size.height * 3);
    const visuals = new VisualTimeline(source.visualCommands);
    for (let i = 0; i < frames && !done; i++) {
      renderVideoFrame(pieces, i / fps, videoFrameAt(visuals.at(i / fps), size.width, size.height), frame);
      if (!child.stdin.write(Buffer.from(frame))) await Promise.race([new Promise((r) => child.stdin.once('drain', r)), exited]);
      if (i % fps === 0) progress.update(i, frames, 'rendering video');
    }
    child.stdin.end();
    const code = await exited;
    const why = errors.trim().split('\n').at(-1) || `exit code ${code}`;
    if (code !== 0) throw new UserError(`${out}: ffmpeg failed (${why})`);
    return duration;
  }, cleanup);
  process.stderr.write(`synesthete: rendered ${duration.toFixed(1)} s of video to ${out}\n`);
}
