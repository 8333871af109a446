/**
 * A generator-form topology document (`generator` + `params`, optional `options` and
 * `components`; docs/topology-files.md) built in memory, its parameters going straight to the
 * generator (src/topology/generators) — how `sweep` builds each point's topology and `capacity`
 * each candidate size. The stages and messages are those of io's loader on a generator-form
 * file (it is io's own builder): the schema, the generator, then the graph's validation.
 *
 * Both commands used to render the document to YAML and parse it back. That round trip
 * normalised nothing: params are counts, seeds and words, which YAML writes and reads back
 * unchanged (checked for -0, 1e+21, 2^53 + 2, numeric-looking and spaced strings), and component
 * figures stay the unit strings they were, parsed once either way. One thing it did is kept here
 * on purpose: a document the schema refuses throws an {@link InputError} without a file name, as
 * the renderer did, while generator and validation problems name `file`.
 */
import { InputError } from '../errors/index.ts';
import { buildGenerated, type TopologyFileDocument } from '../io/index.ts';
import type { TopologyGraph } from '../topology/types.ts';

/**
 * Builds a generator-form document into a validated graph, without any file.
 * @param file the name generator and validation problems are reported against, and the topology
 *   name (its stem) when the document has none
 * @throws InputError (no file) listing every schema problem of the document; GeneratorError or
 *   TopologyError naming `file`
 * @example buildGeneratorDocument({ name: 'p13', generator: 'octopus-bibd', params: { hostPorts: 4, devicePorts: 4 } }, 'p13.yaml')
 */
export function buildGeneratorDocument(doc: TopologyFileDocument, file: string): TopologyGraph {
  try {
    return buildGenerated({ ...doc }, file);
  } catch (e) {
    if (e instanceof InputError && e.file === file) throw new InputError(e.issues);
    throw e;
  }
}
