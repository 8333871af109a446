/**
 * Cross-references of a scenario file's `models` and `variants`, checked on the raw data so they
 * are reported together with the schema's issues: duplicate and reserved ids, unknown base
 * models (with did-you-mean), and each custom shape by the kv layer's {@link validateModelShape}
 * — once per entry; the shapes found readable are kept for the GPU-fit check (./checks-serving.ts).
 */
import type { Issue } from '../../errors/index.ts';
import { BUILTIN_MODELS, validateModelShape, type ModelShape } from '../../kv/models.ts';
import { isRecord } from '../files.ts';
import { suggestion } from '../issues.ts';
import { MAX_MODEL_LAYERS } from './defaults.ts';
import { customModel, fillCustom } from './schema-models.ts';

type Path = readonly (string | number)[];

/** What the checks learnt of the file's models and variants, for the checks after them. */
export interface Known {
  /** Model id → layers (undefined when the entry is broken). */
  readonly models: Map<string, number | undefined>;
  /** False when some model entry's id cannot be read or is not a built-in (then references to models are not flagged). */
  readonly allModels: boolean;
  /**
   * Model id → its shape, or undefined when the shape is not valid (first entry of each id), when
   * every entry of `models` passes the schema; undefined otherwise.
   */
  readonly shapes: ReadonlyMap<string, ModelShape | undefined> | undefined;
  /** Variant id → its model id (undefined when unreadable). */
  readonly variants: Map<string, string | undefined>;
  /** False when some variant entry's id cannot be read (then references to variants are not flagged). */
  readonly allVariants: boolean;
}

/** One entry of `models` as read: its id, where the id is, layers and shape when usable. */
interface ModelRead {
  readonly modelId: string;
  readonly at: Path;
  readonly layers: number | undefined;
  /** The shape, or undefined when the entry does not pass the schema or its shape is invalid. */
  readonly shape: ModelShape | undefined;
  /** Whether the entry passes the schema. */
  readonly parsed: boolean;
}

/** A built-in id entry. An unknown id is reported by the schema at the entry. */
function readBuiltin(entry: string, i: number): ModelRead {
  const shape = Object.hasOwn(BUILTIN_MODELS, entry) ? BUILTIN_MODELS[entry] : undefined;
  return { modelId: entry, at: ['models', i], layers: shape?.layers, shape, parsed: !!shape };
}

/** A custom entry (a mapping with a string `id`): reserved id, MoE fields, then its shape. */
function readCustom(entry: Record<string, unknown>, i: number, issues: Issue[]): ModelRead {
  const modelId = entry['id'] as string;
  const at: Path = ['models', i, 'id'];
  const l = entry['layers'];
  const layers =
    typeof l === 'number' && Number.isInteger(l) && l >= 1 && l <= MAX_MODEL_LAYERS ? l : undefined;
  if (Object.hasOwn(BUILTIN_MODELS, modelId)) {
    issues.push({
      code: 'scenario.reserved-id',
      path: at,
      message: `"${modelId}" is a built-in model; give the custom model another id, or write "${modelId}" alone to use the built-in shape`,
    });
  }
  const parsed = customModel.safeParse(entry);
  if (!parsed.success) return { modelId, at, layers, shape: undefined, parsed: false };
  const shape = fillCustom(parsed.data);
  const shapeIssues = validateModelShape(shape, ['models', i]);
  const m = parsed.data;
  if (m.experts !== undefined && m.experts > 1 && m.activeParameterCount === undefined) {
    issues.push({
      code: 'input.required',
      path: ['models', i, 'activeParameterCount'],
      message:
        'required for a mixture-of-experts model (experts > 1): the parameters one token uses',
    });
  } else {
    issues.push(...shapeIssues);
  }
  const valid = shapeIssues.length === 0 ? (shape as unknown as ModelShape) : undefined;
  return { modelId, at, layers, shape: valid, parsed: true };
}

/** `models`: reserved and duplicate ids, custom shapes. */
export function modelIssues(
  raw: unknown,
  issues: Issue[],
): Pick<Known, 'models' | 'allModels' | 'shapes'> {
  const entries = Array.isArray(raw) ? (raw as unknown[]) : [];
  const models = new Map<string, number | undefined>();
  const shapes = new Map<string, ModelShape | undefined>();
  const firstAt = new Map<string, number>();
  let allModels = true;
  let allParsed = Array.isArray(raw);
  entries.forEach((entry, i) => {
    let read: ModelRead;
    if (typeof entry === 'string') read = readBuiltin(entry, i);
    else if (isRecord(entry) && typeof entry['id'] === 'string')
      read = readCustom(entry, i, issues);
    else {
      allModels = false;
      allParsed = false;
      return;
    }
    // An unknown built-in id is reported at the entry; variants naming the intended model are not blamed too.
    if (typeof entry === 'string' && read.layers === undefined) allModels = false;
    if (!read.parsed) allParsed = false;
    const first = firstAt.get(read.modelId);
    if (first !== undefined)
      issues.push({
        code: 'scenario.duplicate-model',
        path: read.at,
        message: `duplicate model "${read.modelId}" (first at models[${first}])`,
      });
    else {
      firstAt.set(read.modelId, i);
      models.set(read.modelId, read.layers);
      shapes.set(read.modelId, read.shape);
    }
  });
  return { models, allModels, shapes: allParsed ? shapes : undefined };
}

/** `variants`: duplicate ids, base models that are not in `models` (with did-you-mean). */
export function variantIssues(
  raw: unknown[],
  known: Pick<Known, 'models' | 'allModels'>,
  issues: Issue[],
): Pick<Known, 'variants' | 'allVariants'> {
  const variants = new Map<string, string | undefined>();
  const firstAt = new Map<string, number>();
  let allVariants = true;
  raw.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry['id'] !== 'string' || entry['id'] === '') {
      allVariants = false;
      return;
    }
    const vid = entry['id'];
    const model = entry['model'];
    const first = firstAt.get(vid);
    if (first !== undefined)
      issues.push({
        code: 'scenario.duplicate-variant',
        path: ['variants', i, 'id'],
        message: `duplicate variant "${vid}" (first at variants[${first}])`,
      });
    else firstAt.set(vid, i);
    let modelId: string | undefined;
    if (typeof model === 'string' && model !== '') {
      if (known.models.has(model)) modelId = model;
      else if (known.allModels) {
        const declared = [...known.models.keys()];
        const builtin = Object.hasOwn(BUILTIN_MODELS, model)
          ? `; "${model}" is a built-in model: add it to \`models\``
          : suggestion(model, declared);
        issues.push({
          code: 'scenario.unknown-model',
          path: ['variants', i, 'model'],
          message: `unknown model "${model}"${builtin}`,
        });
      }
    }
    if (first === undefined) variants.set(vid, modelId);
  });
  return { variants, allVariants };
}
