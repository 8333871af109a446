/**
 * The checks of a scenario file's `profiles`, on the raw data so they are reported together with
 * the schema's issues. The schema checks each profile's form, types and ranges; here come the
 * form rule (`synthetic` or `data`, exactly one), the variant references (unknown, same, of
 * different base models, duplicate pairs) and — the one place profile data is checked against
 * its model — the planner's {@link validatePairProfile} for length, groups and frontier.
 */
import type { Issue } from '../../errors/index.ts';
import { validatePairProfile } from '../../planner/profiles.ts';
import { isRecord } from '../files.ts';
import { suggestion } from '../issues.ts';
import type { Known } from './checks-models.ts';
import { profileDataSchema } from './schema-models.ts';

type Path = readonly (string | number)[];

/** `receiver` and `sender` of one entry, each flagged when it names no variant. */
function endsOf(
  entry: Readonly<Record<string, unknown>>,
  at: Path,
  known: Known,
  issues: Issue[],
): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  for (const end of ['receiver', 'sender'] as const) {
    const v = entry[end];
    if (typeof v !== 'string' || v === '') {
      names.push(undefined);
      continue;
    }
    if (!known.variants.has(v) && known.allVariants) {
      issues.push({
        code: 'scenario.unknown-variant',
        path: [...at, end],
        message: `unknown variant "${v}"${suggestion(v, [...known.variants.keys()])}`,
      });
    }
    names.push(v);
  }
  return names;
}

/**
 * Whether receiver and sender are variants of one base model (flagged when they are not).
 * @returns the base model's layers, or undefined when they cannot be told or the pair is flagged
 */
function sharedLayers(
  receiver: string,
  sender: string,
  at: Path,
  known: Known,
  issues: Issue[],
): number | undefined {
  const rm = known.variants.get(receiver);
  const sm = known.variants.get(sender);
  if (rm === undefined || sm === undefined) return undefined;
  const rl = known.models.get(rm);
  const sl = known.models.get(sm);
  if (rm !== sm) {
    const layers =
      rl !== undefined && sl !== undefined && rl !== sl ? ` with ${rl} and ${sl} layers` : '';
    issues.push({
      code: 'profile.base-model',
      path: [...at, 'sender'],
      message: `receiver "${receiver}" is a variant of ${rm} and sender "${sender}" of ${sm}${layers}: DroidSpeak reuses caches only between variants of one base model`,
    });
    return undefined;
  }
  return rl;
}

/**
 * Profile data against its model (length, frontier order and ends) by the planner's own
 * validator, once the schema has accepted the data's form. The validator's checks of the names
 * and layers are skipped (they are the file's cross-references above), and so is its demand for a
 * frontier when the file leaves it to be built.
 */
function dataIssues(
  entry: Readonly<Record<string, unknown>>,
  pair: { readonly receiver: string; readonly sender: string; readonly layers: number },
  at: Path,
  issues: Issue[],
): void {
  const data = profileDataSchema.safeParse(entry['data']);
  if (!data.success) return;
  const candidate = { ...pair, ...(entry['data'] as Record<string, unknown>) };
  const dataPath = [...at, 'data'];
  const absentFrontier = data.data.frontier === undefined;
  for (const issue of validatePairProfile(candidate, dataPath)) {
    const field = issue.path[dataPath.length];
    if (field === 'receiver' || field === 'sender' || field === 'layers') continue;
    if (absentFrontier && field === 'frontier' && issue.code === 'input.required') continue;
    issues.push(issue);
  }
}

/** `profiles`: form, references, duplicates and data, entry by entry. */
export function profileIssues(raw: unknown, known: Known, issues: Issue[]): void {
  const firstAt = new Map<string, number>();
  (Array.isArray(raw) ? (raw as unknown[]) : []).forEach((entry, k) => {
    if (!isRecord(entry)) return;
    const at: Path = ['profiles', k];
    const hasSynthetic = Object.hasOwn(entry, 'synthetic');
    const hasData = Object.hasOwn(entry, 'data');
    if (hasSynthetic === hasData) {
      issues.push({
        code: 'input.form',
        path: at,
        message: hasData
          ? 'has both `synthetic` and `data`: a profile is either generated (synthetic) or given (data)'
          : 'needs `synthetic: {}` (generated from the seed) or `data: { layerSensitivity, fullReuseLoss }`',
      });
    }
    const [receiver, sender] = endsOf(entry, at, known, issues);
    if (receiver === undefined || sender === undefined) return;
    if (receiver === sender) {
      issues.push({
        code: 'profile.same-model',
        path: [...at, 'sender'],
        message: `sender must differ from receiver ("${receiver}"): a variant reusing its own cache is exact reuse, which needs no profile`,
      });
      return;
    }
    const key = `${receiver}\u0000${sender}`;
    const first = firstAt.get(key);
    if (first !== undefined)
      issues.push({
        code: 'scenario.duplicate-profile',
        path: at,
        message: `duplicate profile ${receiver} ← ${sender} (first at profiles[${first}])`,
      });
    else firstAt.set(key, k);
    const layers = sharedLayers(receiver, sender, at, known, issues);
    if (layers === undefined || !hasData || hasSynthetic) return;
    dataIssues(entry, { receiver, sender, layers }, at, issues);
  });
}
