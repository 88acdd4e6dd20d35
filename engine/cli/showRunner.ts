import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EngineEvent } from '../../control/protocol/state.js';
import type { RunSummary } from '../../control/protocol/summary.js';
import { UserError } from '../errors.js';
import type { Show } from '../show/openShow.js';

/** The signals that end a show cleanly: a summary, a closed file, a released sound card. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs a show from the command line: logs what is heard (unless `log` is false: a render that
 * reports its own result), ends it cleanly on Ctrl+C, SIGTERM or SIGHUP, writes the summary, and
 * releases everything.
 */
export async function runShow(show: Show, seconds: number, summaryFile: string | undefined, verb: string, log = true): Promise<RunSummary> {
  const unsubscribe = log ? show.events.subscribe(logEvent) : () => undefined;
  const stop = () => show.stop();
  for (const s of STOP_SIGNALS) process.on(s, stop);
  try {
    const summary = await show.run(seconds);
    const stats = show.host.stats();
    if (summaryFile) writeSummary(summaryFile, summary);
    if (stats.errors > 0 && show.host.offline) throw new UserError(`the output file could not be written completely (${stats.errors} write errors; see the warning above)`);
    const device = summary.deviceUnderruns > 0 ? ` (${summary.deviceUnderruns} reported by the sound card)` : '';
    const lost = stats.lostFrames ? `, ${(stats.lostFrames / show.host.sampleRate).toFixed(1)} s lost with the output` : '';
    if (log) {
      process.stderr.write(`synesthete: ${verb} ${summary.durationSeconds.toFixed(1)} s, ${summary.segmentsPlayed} segments, `
        + `${summary.underruns} underruns${device}${lost}, ${summary.lateRepeats} late repeats\n`);
    }
    return summary;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, stop);
    unsubscribe();
    await show.dispose();
  }
}

/**
 * After a show the process should end by itself; a sound card that vanished mid-show can leave a
 * native thread waiting forever, so give it 3 s and then exit anyway.
 */
export function exitSoon(): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
}

/**
 * Checks before anything plays that `--summary FILE` can be written (its folder exists), so a
 * long show does not end with a summary that cannot be saved.
 */
export function checkSummaryPath(file: string | undefined): void {
  if (file === undefined) return;
  const dir = dirname(file);
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UserError(`${file}: cannot write the run summary (${existsSync(dir) ? 'ENOTDIR' : 'ENOENT'})`);
}

/** Plain write, not atomic: `--summary /dev/stdout` must work. */
function writeSummary(file: string, summary: unknown): void {
  try {
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  } catch (e) {
    throw new UserError(`${file}: cannot write the run summary (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Refusals printed per second at most: a client sending nonsense must not flood the terminal. */
const REFUSALS_PER_SECOND = 5;
const refusals = { second: -1, printed: 0, held: 0 };

function logEvent(e: EngineEvent): void {
  const when = `[${e.at.toFixed(2)} s, bar ${e.position.bar}.${e.position.beat}]`;
  if (e.type === 'segment-started' && !e.repeat) process.stderr.write(`${when} segment ${e.segmentId}: ${e.recipe.description}\n`);
  else if (e.type === 'command-rejected') logRefusal(e.at, e.reason);
  else if (e.type === 'warning') process.stderr.write(`synesthete: warning at ${e.at.toFixed(2)} s: ${e.message}\n`);
}

function logRefusal(at: number, reason: string): void {
  const second = Math.floor(at);
  if (second !== refusals.second) {
    if (refusals.held > 0) process.stderr.write(`synesthete: ${refusals.held} more commands rejected in that second (the run summary counts them all)\n`);
    refusals.second = second;
    refusals.printed = 0;
    refusals.held = 0;
  }
  if (refusals.printed++ < REFUSALS_PER_SECOND) process.stderr.write(`synesthete: command rejected at ${at.toFixed(2)} s: ${reason}\n`);
  else refusals.held++;
}
