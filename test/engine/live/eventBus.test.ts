import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../engine/live/eventBus.js';

describe('EventBus', () => {
  it('delivers every event to every subscriber until it unsubscribes', () => {
    const bus = new EventBus<number>();
    const a: number[] = [], b: number[] = [];
    const offA = bus.subscribe((e) => a.push(e));
    bus.subscribe((e) => b.push(e));
    bus.publish(1);
    offA();
    bus.publish(2);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
    expect(bus.size).toBe(1);
  });

  it('never throws: a failing subscriber is reported once and the others still get every event', () => {
    const errors: string[] = [];
    const bus = new EventBus<number>((m) => errors.push(m));
    const got: number[] = [];
    bus.subscribe(() => { throw new Error('projector crashed'); });
    bus.subscribe((e) => got.push(e));
    expect(() => { bus.publish(1); bus.publish(2); }).not.toThrow();
    expect(got).toEqual([1, 2]);
    expect(errors).toEqual(['an event subscriber failed (projector crashed); it stays subscribed']);
  });

  it('lets a subscriber unsubscribe itself while an event is delivered', () => {
    const bus = new EventBus<number>();
    const got: number[] = [];
    const off = bus.subscribe((e) => { got.push(e); off(); });
    bus.subscribe((e) => got.push(e * 10));
    bus.publish(1);
    bus.publish(2);
    expect(got).toEqual([1, 10, 20]);
  });
});
