/**
 * Shared fixtures of the topology-file tests: a small valid explicit file, a node counter, and
 * helpers that expect an error of a given class and list its issues as `code @ path`.
 */
import { expect } from 'vitest';
import type { PodsimError } from '../../src/errors/index.ts';
import { formatPath } from '../../src/errors/index.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';

/** Nodes of `kind` in `g`. */
export const count = (g: TopologyGraph, kind: string): number =>
  g.filterNodes((_, a) => a.kind === kind).length;

/** Runs `fn`, expecting it to throw an error of class `cls`; returns the error. */
export function thrown<E extends PodsimError>(
  cls: abstract new (...args: never[]) => E,
  fn: () => unknown,
): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return e as E;
  }
  throw new Error('expected an error, none was thrown');
}

/** The issues of an error as `code @ path`. */
export const where = (e: PodsimError): string[] =>
  e.issues.map((i) => `${i.code} @ ${formatPath(i.path)}`);

/** A small valid explicit file: 2 hosts on one MHD, one NIC each on a ToR. */
export const BASE = `nodes:
  - { id: h0, kind: host, gpus: 1, nics: 1 }
  - { id: d0, kind: mhd, ports: 4 }
  - { id: h1, kind: host, gpus: 1, nics: 1 }
  - { id: tor0, kind: tor }
links:
  - { a: h0, b: d0, kind: cxl }
  - { a: h1, b: d0, kind: cxl }
  - { a: h0.nic0, b: tor0, kind: network }
  - { a: h1.nic0, b: tor0, kind: network }
`;
