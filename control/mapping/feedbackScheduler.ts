import type { MidiMessage } from './midiMessage.js';

export interface FeedbackSchedulerOptions {
  /** the fewest milliseconds between two messages to one control (default 20: 50 per second) */
  readonly minIntervalMs?: number;
}

interface ControlLine {
  /** what the controller itself last sent on this control: it shows that already */
  received: number | null;
  sent: number | null;
  sentAt: number;
  pending: MidiMessage | null;
}

/**
 * Which LED feedback to send when, for one output port. Pure: time comes in as an argument
 * (milliseconds on any clock), and `due(now)` returns what to send now; the caller sends it and
 * asks again at `nextDueAt()`.
 *
 * - No echo: a value a knob or fader sent is not sent back to it (a motor fader would fight the
 *   hand, and controllers that echo what they receive would loop).
 * - Rate-limited per control: a value that changes faster than `minIntervalMs` is coalesced; the
 *   latest value always goes out, at most `minIntervalMs` late.
 */
export class FeedbackScheduler {
  private readonly minIntervalMs: number;
  private readonly lines = new Map<string, ControlLine>();

  constructor(options: FeedbackSchedulerOptions = {}) {
    this.minIntervalMs = options.minIntervalMs ?? 20;
  }

  /**
   * A message arrived from the controller: remember what its control shows. Knobs and faders
   * only: a pad's light is not what it sends (a toggle pad sends 127 on every press), so pads
   * are always told the state.
   */
  received(message: MidiMessage): void {
    if (message.type !== 'cc') return;
    const key = controlKey(message)!;
    const line = this.line(key);
    line.received = dataOf(message);
  }

  /** A value changed (from any surface): queue the message that shows it. */
  update(message: MidiMessage): void {
    const key = controlKey(message);
    if (key === null) return;
    const line = this.line(key);
    const data = dataOf(message);
    if (data === line.received || (data === line.sent && line.pending === null)) {
      line.pending = null;
      return;
    }
    line.pending = message;
  }

  /** The messages to send at `now` (each control at most once per interval). */
  due(now: number): MidiMessage[] {
    const out: MidiMessage[] = [];
    for (const line of this.lines.values()) {
      if (line.pending === null || now - line.sentAt < this.minIntervalMs) continue;
      const data = dataOf(line.pending);
      if (data !== line.sent) {
        out.push(line.pending);
        line.sent = data;
        line.sentAt = now;
      }
      line.pending = null;
    }
    return out;
  }

  /** When `due` next has something to send (null: nothing waiting). */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const line of this.lines.values()) {
      if (line.pending === null) continue;
      const at = line.sentAt + this.minIntervalMs;
      if (next === null || at < next) next = at;
    }
    return next;
  }

  private line(key: string): ControlLine {
    let line = this.lines.get(key);
    if (line === undefined) {
      line = { received: null, sent: null, sentAt: Number.NEGATIVE_INFINITY, pending: null };
      this.lines.set(key, line);
    }
    return line;
  }
}

/** Notes and note-offs share a key: both light the same pad. */
function controlKey(message: MidiMessage): string | null {
  switch (message.type) {
    case 'cc': return `cc/${message.channel}/${message.controller}`;
    case 'noteon': case 'noteoff': return `note/${message.channel}/${message.note}`;
    default: return null;
  }
}

/** The data byte that shows the value: a CC's value, a pad lit (127) or dark (0). */
function dataOf(message: MidiMessage): number | null {
  switch (message.type) {
    case 'cc': return message.value;
    case 'noteon': return message.velocity > 0 ? 127 : 0;
    case 'noteoff': return 0;
    default: return null;
  }
}
