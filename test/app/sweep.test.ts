/**
 * Sweep points in the app layer (src/app/sweep.ts): a point the topology schema or the generator
 * refuses becomes an error record with the message loading a file would give — the schema's
 * without a file name, the generator's naming the topology file — and no simulation runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluatePoint, prepareSweep } from '../../src/app/sweep.ts';

describe('evaluatePoint', () => {
  it('keeps refused points as error records, with the messages of the loader', () => {
    const read: string[] = [];
    const ctx = prepareSweep(
      {
        scenario: 'droidspeak-8b',
        topology: 'octopus-bibd-25',
        grid: ['hostPorts=0,3', 'devicePorts=5'],
      },
      (path) => {
        read.push(path);
        return readFileSync(path, 'utf8');
      },
    );
    expect(read).toHaveLength(1);
    expect(read[0]).toMatch(/octopus-bibd-25\.yaml$/);
    expect(evaluatePoint(ctx, 0)).toEqual({
      point: 0,
      params: { hostPorts: 0, devicePorts: 5 },
      error: 'params.hostPorts: expected an integer between 1 and 1024, got 0',
    });
    const generator = evaluatePoint(ctx, 1);
    expect(generator).toMatchObject({ point: 1, params: { hostPorts: 3, devicePorts: 5 } });
    expect('error' in generator && generator.error).toMatch(
      /^octopus-bibd-25\.yaml: params: no λ=1 block design exists for hostPorts 3, devicePorts 5: /,
    );
  });
});
