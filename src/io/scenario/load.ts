/**
 * Loading a scenario file: YAML syntax first (→ InputError with line and column); then, all
 * reported together in one InputError sorted by where they are in the file, the zod schema
 * (./schema.ts), the cross-reference and semantic checks on the raw data (./checks-*.ts), and the
 * arrival trace (./trace.ts); only then resolution (./resolve.ts). Also the bundled presets.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, LimitError, type Issue } from '../../errors/index.ts';
import { byPathIn, isRecord, listBundled, readFileOrPreset, readYaml } from '../files.ts';
import { fromZodIssues, show } from '../issues.ts';
import { modelIssues, variantIssues } from './checks-models.ts';
import { profileIssues } from './checks-profiles.ts';
import { fitIssues, servingIssues, workloadVariantIssues } from './checks-serving.ts';
import { workloadSemanticIssues } from './checks-workload.ts';
import { resolve } from './resolve.ts';
import { scenarioFileSchema } from './schema.ts';
import { traceIssues, type TraceData } from './trace.ts';
import type { Scenario } from './types.ts';
import { resolveUnions } from './unions.ts';

/** Order issues by where they are in the file (top-level keys in format order, then index order; a whole value before its parts). */
const byPath = byPathIn(Object.keys(scenarioFileSchema.shape), true);

/** Options of {@link parseScenarioText}. */
export interface ParseScenarioOptions {
  /** Folder that relative paths in the file (an arrival trace) are read from; default: the folder of `file`. */
  readonly baseDir?: string;
}

/** Every problem of a scenario file's data after the schema's: references, shapes, profiles, serving, trace, workload. */
function checkIssues(
  data: Readonly<Record<string, unknown>>,
  baseDir: string,
  issues: Issue[],
): TraceData | undefined {
  const models = modelIssues(data['models'], issues);
  const variants = variantIssues(
    Array.isArray(data['variants']) ? data['variants'] : [],
    models,
    issues,
  );
  const known = { ...models, ...variants };
  profileIssues(data['profiles'], known, issues);
  fitIssues(data, known, issues);
  const served = servingIssues(data, known, issues);
  workloadVariantIssues(data, known, served, issues);
  const trace = traceIssues(data, baseDir, issues);
  workloadSemanticIssues(data, served, trace, issues);
  return trace;
}

/**
 * Parses and resolves a scenario from YAML or JSON text. An arrival trace the file names is read
 * from disk, relative to `options.baseDir`.
 * @param text the file's contents
 * @param file the name to report problems against (and the default scenario name, from its stem)
 * @throws InputError listing every problem at once (YAML syntax with line and column; or schema,
 *   references, model shapes, profile data, serving, workload, trace lines and GPU fit together),
 *   each message `file: path: …`
 * @example parseScenarioText('models: [llama-3.1-8b]\nvariants: [{ id: a, model: llama-3.1-8b }]\n', 's.yaml').gpu.name // 'A100-80GB'
 */
export function parseScenarioText(
  text: string,
  file: string,
  options: ParseScenarioOptions = {},
): Scenario {
  const data = readYaml(text, file);
  if (!isRecord(data)) {
    throw new InputError(
      [
        {
          code: 'input.type',
          path: [],
          message: `expected a scenario (a mapping with \`models\` and \`variants\`), got ${show(data)}`,
        },
      ],
      file,
    );
  }
  const parsed = scenarioFileSchema.safeParse(data, { reportInput: true });
  const issues: Issue[] = parsed.success ? [] : fromZodIssues(resolveUnions(parsed.error.issues));
  const trace = checkIssues(data, options.baseDir ?? dirname(file), issues);
  if (!parsed.success || issues.length > 0) {
    const all = dedupe(issues).sort(byPath);
    // Past a documented limit but otherwise valid: exit 4, not 3 (docs/limits.md).
    if (parsed.success && all.every((i) => i.code.startsWith('limit.')))
      throw new LimitError(all, file);
    throw new InputError(all, file);
  }
  return resolve(parsed.data, file, trace);
}

/** The issues without repeats (same path, code and message), first kept. */
function dedupe(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify([i.path, i.code, i.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The bundled `scenarios/` folder, found from this module's location (works from src/ under tsx and from dist/). */
export const SCENARIOS_DIR: string = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

/**
 * The bundled scenario files (`scenarios/*.yaml`), sorted by name.
 * @returns name (file stem), absolute file path and the file's `description`
 */
export function listScenarioPresets(): { name: string; file: string; description: string }[] {
  return listBundled(SCENARIOS_DIR, 'scenarios');
}

/**
 * Loads a scenario from a file path, or from a bundled preset name (`droidspeak-8b` →
 * `scenarios/droidspeak-8b.yaml`). An existing file wins over a preset of the same name.
 * @returns the resolved scenario and the path that was read (absolute for presets)
 * @throws InputError when neither a file nor a preset has that name (listing the presets), when the
 *   file cannot be read, or anything {@link parseScenarioText} throws
 * @example loadScenario('droidspeak-8b').scenario.variants.length
 */
export function loadScenario(fileOrPreset: string): {
  scenario: Scenario;
  file: string;
  /** The file as named in messages (a preset as `scenarios/<name>.yaml`). */
  display: string;
} {
  const { text, path, display } = readFileOrPreset(
    fileOrPreset,
    SCENARIOS_DIR,
    'scenarios',
    'scenario',
  );
  return {
    scenario: parseScenarioText(text, display, { baseDir: dirname(path) }),
    file: path,
    display,
  };
}
