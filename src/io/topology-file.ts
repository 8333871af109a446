/**
 * Topology files: YAML or JSON (JSON is YAML) in, a validated {@link TopologyGraph} out — or a
 * {@link PodsimError} naming the file and listing **every** problem, each with a path into the
 * file (docs/design.md convention §3–5). The format (generator form or explicit nodes and links)
 * is documented in docs/topology-files.md.
 *
 * Loading runs in stages, each reporting all it finds: YAML syntax (→ {@link InputError} with line
 * and column); the schema plus cross-references — duplicate ids, links to unknown nodes, duplicate
 * links — (→ InputError, or {@link TopologyError} when only cross-references fail); then the
 * generator (→ {@link GeneratorError}, paths pointing into `params`/`options`) or the builder;
 * then {@link validateTopology} (→ TopologyError, node and link issues mapped back to
 * `nodes[i].field` / `links[j].field`). Only io/ and `cli/` read files.
 *
 * The stages live in ./topology/: the schema (`schema-*.ts`), the generator form
 * (`generated.ts`), the explicit form (`references.ts`, `explicit.ts`) and rendering
 * (`render.ts`); this module reads the file and picks the form.
 */
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { isRecord, listBundled, readFileOrPreset, readYaml } from './files.ts';
import { show } from './issues.ts';
import { buildExplicit } from './topology/explicit.ts';
import { buildGenerated } from './topology/generated.ts';

export {
  DEFAULT_SCHEMA_REF,
  renderTopologyFile,
  type TopologyFileDocument,
} from './topology/render.ts';

/**
 * Parses a topology file's text (YAML, or JSON, which is YAML) into a validated graph.
 * @param text the file's contents
 * @param file the name to report problems against (and the default topology name, from its stem)
 * @throws InputError (syntax, schema, units), TopologyError (references, ports, reach,
 *   connectivity) or GeneratorError (parameters a generator cannot build) — every problem at
 *   once, each message starting with `file: path:`
 * @example parseTopologyText('generator: octopus-bibd\nparams: { hostPorts: 4, devicePorts: 4 }\n', 'p13.yaml')
 */
export function parseTopologyText(text: string, file: string): TopologyGraph {
  const data = readYaml(text, file);
  if (!isRecord(data)) {
    throw new InputError(
      [
        {
          code: 'input.type',
          path: [],
          message: `expected a topology (a mapping with \`generator\` or \`nodes\`), got ${show(data)}`,
        },
      ],
      file,
    );
  }
  const hasGenerator = Object.hasOwn(data, 'generator');
  const hasNodes = Object.hasOwn(data, 'nodes');
  if (hasGenerator === hasNodes) {
    throw new InputError(
      [
        {
          code: 'input.form',
          path: [],
          message: hasGenerator
            ? 'has both `generator` and `nodes`: a topology file is either generated (generator + params) or explicit (nodes + links)'
            : `has neither \`generator\` nor \`nodes\`: give \`generator\` + \`params\` (generated) or \`nodes\` + \`links\` (explicit)${Object.hasOwn(data, 'links') ? '; `links` alone is not enough' : ''}`,
        },
      ],
      file,
    );
  }
  return hasGenerator ? buildGenerated(data, file) : buildExplicit(data, file);
}

/** The bundled `topologies/` folder, found from this module's location (works from src/ under tsx and from dist/). */
export const TOPOLOGIES_DIR: string = fileURLToPath(new URL('../../topologies/', import.meta.url));

/**
 * The bundled topology files (`topologies/*.yaml`), sorted by name.
 * @returns name (file stem), absolute file path and the file's `description`
 */
export function listPresets(): { name: string; file: string; description: string }[] {
  return listBundled(TOPOLOGIES_DIR, 'topologies');
}

/**
 * Loads a topology from a file path, or from a bundled preset name (`octopus-96` →
 * `topologies/octopus-96.yaml`). An existing file wins over a preset of the same name.
 * @returns the validated graph and the path that was read (absolute for presets)
 * @throws InputError when neither a file nor a preset has that name (listing the presets), when the
 *   file cannot be read, or anything {@link parseTopologyText} throws
 * @example loadTopology('octopus-96').graph.order
 */
export function loadTopology(fileOrPreset: string): { graph: TopologyGraph; file: string } {
  const { text, path, display } = readFileOrPreset(
    fileOrPreset,
    TOPOLOGIES_DIR,
    'topologies',
    'topology',
  );
  return { graph: parseTopologyText(text, display), file: path };
}
