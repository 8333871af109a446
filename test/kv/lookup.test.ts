/**
 * Tables keyed by user-given names (src/kv/lookup.ts): an inherited name such as `constructor`,
 * `toString` or `__proto__` is never an entry (issue 15 item 5).
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { BUILTIN_GPUS, getGpu } from '../../src/kv/gpu.ts';
import { nameTable, ownEntry } from '../../src/kv/lookup.ts';
import { BUILTIN_MODELS, getModel } from '../../src/kv/model-table.ts';

const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

describe('tables keyed by names', () => {
  it('the built-in model and GPU tables have no prototype', () => {
    expect(Object.getPrototypeOf(BUILTIN_MODELS)).toBeNull();
    expect(Object.getPrototypeOf(BUILTIN_GPUS)).toBeNull();
    for (const name of INHERITED) {
      expect(BUILTIN_MODELS[name], name).toBeUndefined();
      expect(BUILTIN_GPUS[name], name).toBeUndefined();
    }
  });

  it('an inherited name is an unknown model or GPU, with the list of known ones', () => {
    for (const name of INHERITED) {
      expect(() => getModel(name, ['models', 0])).toThrow(InputError);
      expect(() => getGpu(name, ['gpu'])).toThrow(InputError);
    }
  });

  it('nameTable keeps every entry, __proto__ included, and is frozen', () => {
    const entries = Object.create(null) as Record<string, number>;
    entries['__proto__'] = 1;
    entries['constructor'] = 2;
    const t = nameTable(entries);
    expect(ownEntry(t, '__proto__')).toBe(1);
    expect(ownEntry(t, 'constructor')).toBe(2);
    expect(Object.keys(t)).toEqual(['__proto__', 'constructor']);
    expect(Object.isFrozen(t)).toBe(true);
  });

  it('ownEntry reads own entries only, even from an ordinary object', () => {
    const plain: Record<string, number> = { a: 1 };
    expect(ownEntry(plain, 'a')).toBe(1);
    for (const name of INHERITED) expect(ownEntry(plain, name)).toBeUndefined();
  });
});
