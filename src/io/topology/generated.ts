/**
 * The generator form of a topology file: the schema, then the generator (a hybrid's pod first,
 * so a pod's own problems point at `params.pod.params…`), then {@link validateTopology} on what
 * was generated. A generator's issue paths are pointed into the file (`params…`, `options…`).
 */
import {
  GeneratorError,
  InputError,
  PodsimError,
  TopologyError,
  type Issue,
} from '../../errors/index.ts';
import {
  generate,
  type GenerateOptions,
  type GeneratorName,
  type GeneratorParams,
} from '../../topology/generators/index.ts';
import type { TopologyGraph } from '../../topology/types.ts';
import { validateTopology, type TopologyIssue } from '../../topology/validate.ts';
import { stem } from '../files.ts';
import { fromZodIssues } from '../issues.ts';
import { byPath, generatorLayoutIssues, resolveProfile } from './common.ts';
import { generatorFileSchema } from './schema-generator.ts';
import { checkTopologySize, generatedSize } from './size.ts';
import type { GeneratorFile } from './schema-explicit.ts';

/** Points a generator's issue paths into the file (`params…`, `options…`), under `prefix` for nested pods. */
function intoFile(issues: readonly Issue[], prefix: readonly (string | number)[] = []): Issue[] {
  return issues.map((i) => {
    const head = i.path[0];
    if (head === 'params' && prefix.length > 0) return { ...i, path: [...prefix, ...i.path] };
    if (head === 'params' || head === 'options' || head === 'components') return i;
    return { ...i, path: ['generator', ...i.path] };
  });
}

/** The generator's layout options from the file's `options.layout` (renaming `rackPitch`). */
export function layoutOf(
  l: NonNullable<NonNullable<GeneratorFile['options']>['layout']>,
): NonNullable<GenerateOptions['layout']> {
  const { rackPitch, ...rest } = l;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) out[k] = v;
  if (rackPitch !== undefined) out['rackPitchM'] = rackPitch;
  return out as NonNullable<GenerateOptions['layout']>;
}

/** Runs the file's generator; a generator's problems come back as a GeneratorError pointing into the file. */
function generateGraph(f: GeneratorFile, file: string): TopologyGraph {
  const components = resolveProfile(f.components as Record<string, unknown> | undefined);
  const options: GenerateOptions = {
    name: f.name ?? stem(file),
    components,
    ...(f.options?.gpusPerHost === undefined ? {} : { gpusPerHost: f.options.gpusPerHost }),
    ...(f.options?.nicsPerHost === undefined ? {} : { nicsPerHost: f.options.nicsPerHost }),
    ...(f.options?.layout === undefined ? {} : { layout: layoutOf(f.options.layout) }),
  };
  try {
    if (f.generator === 'hybrid') {
      // Build one pod first so a pod's own problems point at `params.pod.params…`.
      const pod = (f.params as GeneratorParams['hybrid']).pod;
      const podOptions: GenerateOptions = {
        components,
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

/** Refuses parameters whose topology is past the host, device or link limits, before generating it. */
function checkGeneratedSize(f: GeneratorFile, file: string): void {
  const params = f.params as Readonly<Record<string, unknown>>;
  const components = resolveProfile(f.components as Record<string, unknown> | undefined);
  const size = generatedSize(f.generator, params, components, f.options?.nicsPerHost);
  const shown = (p: Readonly<Record<string, unknown>>): string =>
    Object.entries(p)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ');
  const pod = params['pod'] as { generator?: string; params?: Record<string, unknown> } | undefined;
  const what =
    f.generator === 'hybrid' && pod !== undefined
      ? `hybrid of ${String(params['pods'])} pods × ${pod.generator ?? '?'} (${shown(pod.params ?? {})})`
      : `${f.generator} with ${shown(params)}`;
  const at = ['params'];
  checkTopologySize(size, what, { hosts: at, devices: at, links: at }, file);
}

/**
 * Builds and validates the graph of a generator-form file.
 * @throws InputError (schema, `layout`), GeneratorError (parameters) or TopologyError (what was generated)
 */
export function buildGenerated(
  data: Readonly<Record<string, unknown>>,
  file: string,
): TopologyGraph {
  const parsed = generatorFileSchema.safeParse(data, { reportInput: true });
  const issues = [
    ...(parsed.success ? [] : fromZodIssues(parsed.error.issues)),
    ...generatorLayoutIssues(data),
  ];
  if (!parsed.success || issues.length > 0) throw new InputError(issues.sort(byPath), file);
  const f: GeneratorFile = parsed.data;
  checkGeneratedSize(f, file);
  const graph = generateGraph(f, file);
  if (f.description !== undefined) graph.setAttribute('description', f.description);
  const problems = validateTopology(graph);
  if (problems.length > 0) {
    const subject = (i: TopologyIssue): string =>
      'node' in i.subject
        ? `generated node ${i.subject.node}: `
        : 'link' in i.subject
          ? `generated link ${i.subject.link}: `
          : '';
    throw new TopologyError(
      problems.map((i) => ({
        code: i.code,
        path: ['generator'],
        message: `${subject(i)}${i.field === undefined ? '' : `${i.field}: `}${i.message}`,
      })),
      file,
    );
  }
  return graph;
}
