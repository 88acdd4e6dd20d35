import type { EngineEvent, EngineState, Parameter } from '../protocol/index.js';
import { FeedbackScheduler } from '../mapping/feedbackScheduler.js';
import { feedbackMessage } from '../mapping/feedbackMessage.js';
import { type ControlMemory, FRESH_MEMORY, mapMidiMessage } from '../mapping/mapMidiMessage.js';
import { type LearnResult, type LearnState, LEARN_IDLE, armLearn, cancelLearn, learnFrom } from '../mapping/midiLearn.js';
import type { MidiMessage } from '../mapping/midiMessage.js';
import { type MidiMapping, deviceMatches, mappableParameter } from '../mapping/midiMapping.js';
import { parameterValue } from '../mapping/parameterValue.js';
import { presetForProgram } from '../mapping/programChange.js';
import type { MidiClock } from './midiClock.js';

export interface MidiSurfaceOptions {
  readonly mappings: readonly MidiMapping[];
  /** presets selected by program change 0, 1, 2, … */
  readonly programChange?: readonly string[];
  /** submits a command to the show (surface `midi`) */
  readonly submit: (command: unknown) => { ok: true } | { ok: false; reason: string };
  /** the show's state now (the engine updates it as soon as a command is accepted) */
  readonly readState: () => EngineState;
  /** MIDI clock in drives this clock (the caller has the show follow it) */
  readonly clock?: MidiClock;
  /** LED feedback: where to send it; none when absent */
  readonly send?: (message: MidiMessage) => void;
  readonly feedbackIntervalMs?: number;
  /** a refused command or a learned mapping, for the event bus or the terminal */
  readonly report?: (line: string) => void;
  /** called with every learn that made a mapping (to save the file) */
  readonly onLearned?: (result: LearnResult) => void;
}

/**
 * The MIDI surface: messages in, commands out; state changes in, LED feedback out; MIDI learn.
 * It holds no port and no timer: the caller feeds it messages (`handle`) and events (`observe`),
 * and calls `pump(now)` at `nextFeedbackAt()` to send feedback, so it is tested without MIDI.
 */
export class MidiSurface {
  private mappingsNow: readonly MidiMapping[];
  private memories = new Map<MidiMapping, ControlMemory>();
  private learn: LearnState = LEARN_IDLE;
  private readonly feedback: FeedbackScheduler;

  constructor(private readonly options: MidiSurfaceOptions) {
    this.mappingsNow = options.mappings;
    this.feedback = new FeedbackScheduler({ minIntervalMs: options.feedbackIntervalMs ?? 20 });
  }

  get mappings(): readonly MidiMapping[] {
    return this.mappingsNow;
  }

  /** the parameter waiting for a control, or null */
  get learning(): string | null {
    return this.learn.armed;
  }

  /** Arms MIDI learn for a parameter; null, or one line why it cannot be mapped. */
  armLearn(parameterName: string): string | null {
    const r = armLearn(parameterName);
    if (!r.ok) return r.reason;
    this.learn = r.state;
    return null;
  }

  cancelLearn(): void {
    this.learn = cancelLearn();
  }

  /** One message from the input port `portName`, arrived at `atMs`. */
  handle(portName: string, message: MidiMessage, atMs: number): void {
    this.options.clock?.handle(message, atMs);
    const preset = presetForProgram(message, this.options.programChange ?? []);
    if (preset !== null) this.submit(preset);
    if (this.learn.armed !== null) {
      const r = learnFrom(this.learn, this.mappingsNow, portName, message);
      this.learn = r.state;
      if (r.learned !== undefined) {
        this.mappingsNow = r.mappings;
        this.options.report?.(`MIDI learn: ${r.learned.kind} ${r.learned.number} on channel ${r.learned.channel} now drives ${r.learned.parameter}${r.replaced ? ` (was ${r.replaced.parameter})` : ''}`);
        this.options.onLearned?.(r);
        // the knob that was learned does not also move the value: it would jump
        return;
      }
    }
    if (message.type === 'cc') this.feedback.received(message);
    for (const mapping of this.mappingsNow) {
      if (!deviceMatches(mapping.device, portName)) continue;
      const p = parameterOf(mapping);
      if (p === null) continue;
      const current = parameterValue(this.options.readState(), p.name);
      const r = mapMidiMessage(mapping, p, message, current, this.memories.get(mapping) ?? FRESH_MEMORY);
      this.memories.set(mapping, r.memory);
      if (r.command !== undefined) this.submit(r.command);
    }
  }

  /** An event from the show's bus: state changes become feedback. */
  observe(event: EngineEvent): void {
    if (event.type !== 'state' || this.options.send === undefined) return;
    for (const mapping of this.mappingsNow) {
      const p = parameterOf(mapping);
      if (p === null) continue;
      const message = feedbackMessage(mapping, p, parameterValue(event.state, p.name));
      if (message !== null) this.feedback.update(message);
    }
  }

  /** Sends the feedback due at `now` (ms); returns how many messages went out. */
  pump(now: number): number {
    const due = this.feedback.due(now);
    for (const m of due) this.options.send?.(m);
    return due.length;
  }

  /** when `pump` next has something to send (ms), or null */
  nextFeedbackAt(): number | null {
    return this.feedback.nextDueAt();
  }

  private submit(command: unknown): void {
    const r = this.options.submit(command);
    if (!r.ok) this.options.report?.(`MIDI: ${r.reason}`);
  }
}

function parameterOf(mapping: MidiMapping): Parameter | null {
  const found = mappableParameter(mapping.parameter);
  return found.ok ? found.parameter : null;
}
