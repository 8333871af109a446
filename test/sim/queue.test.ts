/**
 * The event queue (src/sim/queue.ts): events come out by time, and events at the same time in
 * the order they were scheduled — the determinism every run relies on.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from '../../src/sim/queue.ts';

describe('EventQueue', () => {
  it('pops by (time, insertion order) under any interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(
        // Few distinct times, so ties are common; `null` is a pop.
        fc.array(
          fc.oneof(
            fc.constantFrom(0, 1, 2, 3, 5, 8),
            fc.double({ min: 0, max: 10, noNaN: true }),
            fc.constant(null),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const q = new EventQueue<number>();
          const model: { t: number; id: number }[] = [];
          ops.forEach((op, id) => {
            if (op === null) {
              model.sort((a, b) => a.t - b.t || a.id - b.id);
              const want = model.shift();
              expect(q.peekTime()).toBe(want === undefined ? Number.POSITIVE_INFINITY : want.t);
              expect(q.pop()).toBe(want?.id);
            } else {
              q.push(op, id);
              model.push({ t: op, id });
            }
            expect(q.size).toBe(model.length);
          });
        },
      ),
    );
  });

  it('is empty at first and after draining', () => {
    const q = new EventQueue<string>();
    expect(q.pop()).toBeUndefined();
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
    q.push(5, 'b');
    q.push(5, 'c');
    q.push(1, 'a');
    expect([q.pop(), q.pop(), q.pop(), q.pop()]).toEqual(['a', 'b', 'c', undefined]);
  });
});
