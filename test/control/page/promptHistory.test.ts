import { describe, expect, it } from 'vitest';
import { PromptHistory, type TextStore } from '../../../control/page/promptHistory.js';

class MapStore implements TextStore {
  readonly map = new Map<string, string>();
  getItem(k: string) { return this.map.get(k) ?? null; }
  setItem(k: string, v: string) { this.map.set(k, v); }
}

describe('PromptHistory', () => {
  it('keeps sent prompts newest first, without duplicates, and survives a reload', () => {
    const store = new MapStore();
    const h = new PromptHistory('prompt.audio', store);
    h.add('steady beat');
    h.add('  slow waltz  ');
    h.add('steady beat');
    expect(h.list()).toEqual(['steady beat', 'slow waltz']);
    expect(new PromptHistory('prompt.audio', store).list()).toEqual(['steady beat', 'slow waltz']);
    expect(new PromptHistory('prompt.picture', store).list()).toEqual([]);
  });
  it('drops the oldest past the limit and ignores blanks', () => {
    const h = new PromptHistory('a', new MapStore(), 3);
    for (const t of ['1', '2', '', '   ', '3', '4']) h.add(t);
    expect(h.list()).toEqual(['4', '3', '2']);
  });
  it('starts empty from a corrupt entry, and a storage that throws costs only the history', () => {
    const store = new MapStore();
    store.setItem('synesthete.history.a', '{"not": "a list"');
    expect(new PromptHistory('a', store).list()).toEqual([]);
    store.setItem('synesthete.history.a', JSON.stringify(['ok', 3, null, '']));
    expect(new PromptHistory('a', store).list()).toEqual(['ok']);
    const broken: TextStore = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); } };
    const h = new PromptHistory('a', broken);
    h.add('still works');
    expect(h.list()).toEqual(['still works']);
  });
});
