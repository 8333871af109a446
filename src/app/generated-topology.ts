/**
 * A generator-form topology document (`generator` + `params`, optional `options` and
 * `components`; docs/topology-files.md) built in memory, its parameters going straight to the
 * generator (src/topology/generators) — how `sweep` builds each point's topology and `capacity`
 * each candidate size. The stages and messages are those of io's loader on a generator-form
 * file: the document through the topology schema (defaults filled in, component unit strings
 * parsed), the generator (its issues pointed into `params` / `options`), then
 * {@link validateTopology}.
 *
 * Both commands used to render the document to YAML and parse it back. That round trip
 * normalised nothing: params are counts, seeds and words, which YAML writes and reads back
 * unchanged (checked for -0, 1e+21, 2^53 + 2, numeric-looking and spaced strings), and component
 * figures stay the unit strings they were, parsed once either way. One thing it did fix is kept
 * here on purpose: a document the schema refuses throws an {@link InputError} without a file
 * name, as the renderer did, while generator and validation problems name `file`.
 */
import {
  GeneratorError,
  InputError,
  PodsimError,
  TopologyError,
  type Issue,
} from '../errors/index.ts';
import { COMPONENT_KEYS, type TopologyFileDocument } from '../io/index.ts';
// Not in io's index: the generator-form schema, zod-issue conversion and the file helpers the
// loader uses, shared so this builder reports exactly what the loader does.
import { byPathIn, stem } from '../io/files.ts';
import { fromZodIssues } from '../io/issues.ts';
import { generatorFileSchema, type GeneratorFile } from '../io/schema.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../topology/defaults.ts';
import {
  generate,
  type GenerateOptions,
  type GeneratorName,
  type GeneratorParams,
} from '../topology/generators/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { validateTopology, type TopologyIssue } from '../topology/validate.ts';

/** Top-level keys of a topology file in the order io's loader lists issues. */
const byPath = byPathIn([
  'name',
  'description',
  'generator',
  'params',
  'options',
  'components',
  'layout',
  'nodes',
  'links',
]);

/** The resolved profile: defaults plus the document's `components:` overrides (already parsed). */
function resolveProfile(
  overrides: Readonly<Record<string, unknown>> | undefined,
): ComponentProfile {
  const profile: Record<string, unknown> = { ...DEFAULT_COMPONENTS };
  if (overrides !== undefined) {
    for (const c of COMPONENT_KEYS) {
      const v = overrides[c.fileKey];
      if (v !== undefined) profile[c.profileKey] = v;
    }
  }
  return Object.freeze(profile) as unknown as ComponentProfile;
}

/** Points a generator's issue paths into the document (`params…`, `options…`), under `prefix` for nested pods. */
function intoFile(issues: readonly Issue[], prefix: readonly (string | number)[] = []): Issue[] {
  return issues.map((i) => {
    const head = i.path[0];
    if (head === 'params' && prefix.length > 0) return { ...i, path: [...prefix, ...i.path] };
    if (head === 'params' || head === 'options' || head === 'components') return i;
    return { ...i, path: ['generator', ...i.path] };
  });
}

/**
 * Runs the generator; a hybrid's pod is generated alone first so that its own problems point at
 * `params.pod.params…`.
 * @throws GeneratorError naming `file`, paths into the document
 */
function runGenerator(f: GeneratorFile, options: GenerateOptions, file: string): TopologyGraph {
  try {
    if (f.generator === 'hybrid') {
      const pod = (f.params as GeneratorParams['hybrid']).pod;
      const podOptions: GenerateOptions = {
        ...(options.components === undefined ? {} : { components: options.components }),
        nicsPerHost: 0,
        ...(options.gpusPerHost === undefined ? {} : { gpusPerHost: options.gpusPerHost }),
      };
      try {
        generate(pod.generator, pod.params as GeneratorParams[typeof pod.generator], podOptions);
      } catch (e) {
        if (e instanceof GeneratorError)
          throw new GeneratorError(intoFile(e.issues, ['params', 'pod']), file);
        throw e;
      }
    }
    return generate(f.generator, f.params as GeneratorParams[GeneratorName], options);
  } catch (e) {
    if (e instanceof PodsimError && e.file === file) throw e;
    if (e instanceof GeneratorError) throw new GeneratorError(intoFile(e.issues), file);
    throw e;
  }
}

/** The validation problems of a generated graph, all under `generator`, naming the node or link. */
function generatedIssues(problems: readonly TopologyIssue[]): Issue[] {
  const subject = (i: TopologyIssue): string =>
    'node' in i.subject
      ? `generated node ${i.subject.node}: `
      : 'link' in i.subject
        ? `generated link ${i.subject.link}: `
        : '';
  return problems.map((i) => ({
    code: i.code,
    path: ['generator'],
    message: `${subject(i)}${i.field === undefined ? '' : `${i.field}: `}${i.message}`,
  }));
}

/**
 * Builds a generator-form document into a validated graph, without any file.
 * @param file the name generator and validation problems are reported against, and the topology
 *   name (its stem) when the document has none
 * @throws InputError (no file) listing every schema problem of the document; GeneratorError or
 *   TopologyError naming `file`
 * @example buildGeneratorDocument({ name: 'p13', generator: 'octopus-bibd', params: { hostPorts: 4, devicePorts: 4 } }, 'p13.yaml')
 */
export function buildGeneratorDocument(doc: TopologyFileDocument, file: string): TopologyGraph {
  const parsed = generatorFileSchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) throw new InputError(fromZodIssues(parsed.error.issues).sort(byPath));
  const f = parsed.data;
  const options: GenerateOptions = {
    name: f.name ?? stem(file),
    components: resolveProfile(f.components as Record<string, unknown> | undefined),
    ...(f.options?.gpusPerHost === undefined ? {} : { gpusPerHost: f.options.gpusPerHost }),
    ...(f.options?.nicsPerHost === undefined ? {} : { nicsPerHost: f.options.nicsPerHost }),
  };
  const graph = runGenerator(f, options, file);
  if (f.description !== undefined) graph.setAttribute('description', f.description);
  const problems = validateTopology(graph);
  if (problems.length > 0) throw new TopologyError(generatedIssues(problems), file);
  return graph;
}
