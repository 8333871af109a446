/**
 * Building a generator-form document in memory (src/app/generated-topology.ts) against the YAML
 * round trip `sweep` and `capacity` used before (render the document, parse the text back): the
 * same graph for every bundled generator-form topology and every candidate size of the bundled
 * plan, and the same error (class, file, message) for documents the schema or a generator
 * refuses.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildGeneratorDocument } from '../../src/app/generated-topology.ts';
import { PodsimError } from '../../src/errors/index.ts';
import {
  candidateDocument,
  listPresets,
  loadPlan,
  parseTopologyText,
  renderTopologyFile,
  type TopologyFileDocument,
} from '../../src/io/index.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';

/** What building gave: the graph as exported, or the error's class, file and message. */
function outcome(build: () => TopologyGraph): unknown {
  try {
    return { graph: build().export() };
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    return { error: e.constructor.name, file: e.file, message: e.message };
  }
}

/** Both ways of building `doc`, reported against `file`. */
function bothWays(
  doc: TopologyFileDocument,
  file: string,
): { direct: unknown; roundTrip: unknown } {
  return {
    direct: outcome(() => buildGeneratorDocument(doc, file)),
    roundTrip: outcome(() => parseTopologyText(renderTopologyFile(doc), file)),
  };
}

const generatorForm = listPresets()
  .map((p) => ({ name: p.name, doc: parse(readFileSync(p.file, 'utf8')) as TopologyFileDocument }))
  .filter((p) => typeof p.doc.generator === 'string');

describe('buildGeneratorDocument', () => {
  it('builds every bundled generator-form topology exactly as the YAML round trip does', () => {
    expect(generatorForm.length).toBeGreaterThanOrEqual(5);
    for (const { name, doc } of generatorForm) {
      const { direct, roundTrip } = bothWays(doc, `${name}.yaml`);
      expect(direct, name).toEqual(roundTrip);
      expect(direct, name).toHaveProperty('graph');
    }
  });

  it('names a document without a name after the file, as loading does', () => {
    const doc = {
      generator: 'octopus-bibd',
      params: { hostPorts: 3, devicePorts: 3 },
    } as TopologyFileDocument;
    const { direct, roundTrip } = bothWays(doc, join('some', 'dir', 'p7.yaml'));
    expect(direct).toEqual(roundTrip);
    expect(buildGeneratorDocument(doc, 'p7.yaml').getAttribute('name')).toBe('p7');
  });

  it('builds every candidate size of the bundled plan as the round trip does', () => {
    const { plan } = loadPlan('droidspeak-8b');
    for (const c of plan.candidates)
      for (const hosts of [...c.hosts, 3]) {
        const file = `${plan.file}: candidate ${c.label} at ${hosts} hosts`;
        const { direct, roundTrip } = bothWays(candidateDocument(c, hosts), file);
        expect(direct, file).toEqual(roundTrip);
      }
  });

  it('refuses what the round trip refuses, with the same class, file and message', () => {
    const octopus = generatorForm.find((p) => p.name === 'octopus-96')?.doc;
    const hybrid = generatorForm.find((p) => p.name === 'hybrid-4x13')?.doc;
    if (octopus === undefined || hybrid === undefined) throw new Error('bundled files missing');
    const hybridPod = (hybrid.params as { pod: { params: object } }).pod;
    const bad: TopologyFileDocument[] = [
      // schema: out of range, twice (every issue at once), and a word where a count goes
      { ...octopus, params: { ...octopus.params, hostPorts: 0, devicePorts: 1 } },
      { ...octopus, params: { ...octopus.params, hosts: 'many' } } as never,
      // generator: islands that do not divide the hosts, a hybrid pod without a block design
      { ...octopus, params: { ...octopus.params, hosts: 97, islandSize: 13 } } as never,
      {
        ...hybrid,
        params: {
          ...hybrid.params,
          pod: { ...hybridPod, params: { hostPorts: 6, devicePorts: 4 } },
        },
      } as never,
      // generator: two problems at once
      { name: 'pod', generator: 'full-pod', params: { hosts: 40, devices: 40 } },
    ];
    const classes = new Set<unknown>();
    for (const [i, doc] of bad.entries()) {
      const { direct, roundTrip } = bothWays(doc, 'octopus-96.yaml');
      expect(direct, `document ${i}`).toEqual(roundTrip);
      expect(direct, `document ${i}`).toHaveProperty('error');
      classes.add((direct as { error: string }).error);
    }
    expect(classes).toContain('InputError');
    expect(classes).toContain('GeneratorError');
  });

  it('keeps the file name out of schema problems, as the renderer did', () => {
    expect(() =>
      buildGeneratorDocument(
        { generator: 'octopus-bibd', params: { hostPorts: 0, devicePorts: 4 } },
        basename('x.yaml'),
      ),
    ).toThrow(/^params\.hostPorts/);
  });
});
