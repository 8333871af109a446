/**
 * Shared fixtures of the scenario-file tests: a two-variant base scenario, a custom 13B model,
 * flat sensitivities, and helpers that expect an InputError and list its issues as
 * `code @ path`.
 */
import { expect } from 'vitest';
import type { PodsimError } from '../../src/errors/index.ts';
import { InputError, formatPath } from '../../src/errors/index.ts';
import { parseScenarioText } from '../../src/io/index.ts';

/** Parses `text`, expecting an InputError; returns it. */
export function fails(text: string, file = 'bad.yaml', baseDir?: string): InputError {
  try {
    parseScenarioText(text, file, baseDir === undefined ? {} : { baseDir });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, none was thrown');
}

/** The issues of an error as `code @ path`. */
export const where = (e: PodsimError): string[] =>
  e.issues.map((i) => `${i.code} @ ${formatPath(i.path)}`);

/** Two Llama-3.1-8B variants with a synthetic profile each way. */
export const BASE = `models: [llama-3.1-8b]
variants:
  - { id: evolcode, model: llama-3.1-8b }
  - { id: toolace, model: llama-3.1-8b }
profiles:
  - { receiver: evolcode, sender: toolace, synthetic: {} }
  - { receiver: toolace, sender: evolcode, synthetic: { seed: 3 } }
`;

/** A Llama-2-13B-shaped custom model (published config: 40 layers, 5120 hidden, 13.0 B parameters). */
export const CUSTOM_13B =
  '{ id: my-13b, layers: 40, hiddenSize: 5120, heads: 40, kvHeads: 40, headDim: 128, intermediateSize: 13824, vocabSize: 32000, parameterCount: 13.0e9 }';

/** `n` per-layer sensitivities: `first`, then 0.001 each. */
export const sensitivities = (n: number, first = 0.3): number[] =>
  Array.from({ length: n }, (_, i) => (i === 0 ? first : 0.001));
