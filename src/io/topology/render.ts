/**
 * Writing topology files: a generator-form document rendered as YAML, checked by the schema the
 * loader uses, with a `$schema` line for editors.
 */
import { Document } from 'yaml';
import { InputError } from '../../errors/index.ts';
import type { GeneratorName } from '../../topology/generators/index.ts';
import { fromZodIssues } from '../issues.ts';
import { byPath, generatorLayoutIssues } from './common.ts';
import type { ComponentFileKey } from './schema-common.ts';
import { generatorFileSchema, type GeneratorFileParams } from './schema-generator.ts';

/**
 * A topology file in the generator form, as `podsim topology generate -o` writes it. Values are
 * as in the file: counts as numbers, component figures as unit strings (`mhdCapacity: "1 TiB"`).
 */
export interface TopologyFileDocument<K extends GeneratorName = GeneratorName> {
  /** Topology name; default when loading: the file name without extension. */
  readonly name?: string;
  readonly description?: string;
  readonly generator: K;
  /** The generator's parameters (`seed` and `objective` may be left out: defaults 1 and pair-coverage). */
  readonly params: GeneratorFileParams[K];
  readonly options?: { readonly gpusPerHost?: number; readonly nicsPerHost?: number };
  /** Component profile overrides: profile keys without their unit suffix. */
  readonly components?: { readonly [C in ComponentFileKey]?: string | number };
}

/** Where rendered files point editors for the schema (relative: next to the bundled files). */
export const DEFAULT_SCHEMA_REF = 'topology.schema.json';

/**
 * Renders a generator-form document as YAML, with a `# yaml-language-server: $schema=…` line so
 * editors complete and check it. The document is validated through the same schema the loader
 * uses (the generator itself is not run); `params` are written with their defaults filled in, so
 * the file says exactly what was built.
 * @param options.schema where the `$schema` line points (default `topology.schema.json`)
 * @throws InputError listing every schema problem
 */
export function renderTopologyFile(
  doc: TopologyFileDocument,
  options: { schema?: string } = {},
): string {
  const parsed = generatorFileSchema.safeParse(doc, { reportInput: true });
  const issues = [
    ...(parsed.success ? [] : fromZodIssues(parsed.error.issues)),
    ...generatorLayoutIssues(doc as unknown as Record<string, unknown>),
  ];
  if (!parsed.success || issues.length > 0) throw new InputError(issues.sort(byPath));
  const ordered: Record<string, unknown> = {};
  if (doc.name !== undefined) ordered['name'] = doc.name;
  if (doc.description !== undefined) ordered['description'] = doc.description;
  ordered['generator'] = doc.generator;
  ordered['params'] = parsed.data.params;
  if (doc.options !== undefined) ordered['options'] = { ...doc.options };
  if (doc.components !== undefined) ordered['components'] = { ...doc.components };
  const yaml = new Document(ordered).toString({ lineWidth: 100 });
  return `# yaml-language-server: $schema=${options.schema ?? DEFAULT_SCHEMA_REF}\n${yaml}`;
}
