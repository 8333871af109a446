/**
 * The keys both topology file forms share: `name`, `description`, `components` (the component
 * profile with unit suffixes removed, values as unit strings) and `layout`.
 */
import { z } from 'zod';
import {
  DEFAULT_COMPONENTS,
  GPU_HOST_LINK_KINDS,
  type ComponentProfile,
} from '../../topology/defaults.ts';
import {
  integer,
  MAX_PORTS,
  oneOfIntegers,
  optional,
  strict,
  unitString,
  type FileDimension,
} from '../schema-fields.ts';

/** Unit suffix of a profile key → dimension of its file value (longest suffix first). */
const SUFFIXES = [
  ['BytesPerNs', 'bandwidth'],
  ['NsPerM', 'time-per-length'],
  ['Bytes', 'size'],
  ['Ns', 'time'],
  ['M', 'length'],
] as const satisfies readonly (readonly [string, FileDimension])[];

type Strip<K extends string> = K extends `${infer B}BytesPerNs`
  ? B
  : K extends `${infer B}NsPerM`
    ? B
    : K extends `${infer B}Bytes`
      ? B
      : K extends `${infer B}Ns`
        ? B
        : K extends `${infer B}M`
          ? B
          : K;

/** A key of `components:` in a file: a {@link ComponentProfile} key without its unit suffix. */
export type ComponentFileKey = Strip<keyof ComponentProfile>;

/** How one `components:` key maps to the profile. */
export interface ComponentKeyInfo {
  /** Key in the file, e.g. `retimerLatency`. */
  readonly fileKey: ComponentFileKey;
  /** Key in the profile, e.g. `retimerLatencyNs`. */
  readonly profileKey: keyof ComponentProfile;
  /**
   * Unit dimension of the value, `count` for integers, `text` for strings, `choice` for one of
   * {@link COMPONENT_CHOICES}, `flag` for true/false.
   */
  readonly kind: FileDimension | 'count' | 'text' | 'choice' | 'flag';
}

/** Profile fields whose value is one of a few words, with the words allowed. */
export const COMPONENT_CHOICES: Readonly<
  Partial<Record<keyof ComponentProfile, readonly string[]>>
> = Object.freeze({ gpuHostLink: GPU_HOST_LINK_KINDS });

/** Kind of a profile field without a unit suffix: from its default value's type. */
function plainKind(profileKey: keyof ComponentProfile): ComponentKeyInfo['kind'] {
  const d = DEFAULT_COMPONENTS[profileKey];
  if (typeof d === 'boolean') return 'flag';
  if (typeof d === 'string') return COMPONENT_CHOICES[profileKey] === undefined ? 'text' : 'choice';
  return 'count';
}

/**
 * The `components:` key table, derived from the keys of {@link DEFAULT_COMPONENTS} and their
 * unit suffixes (so a new profile field appears in files without editing this file).
 */
export const COMPONENT_KEYS: readonly ComponentKeyInfo[] = Object.freeze(
  (Object.keys(DEFAULT_COMPONENTS) as (keyof ComponentProfile)[]).map(
    (profileKey): ComponentKeyInfo => {
      for (const [suffix, dimension] of SUFFIXES) {
        if (profileKey.endsWith(suffix) && profileKey.length > suffix.length) {
          return {
            fileKey: profileKey.slice(0, -suffix.length) as ComponentFileKey,
            profileKey,
            kind: dimension,
          };
        }
      }
      return {
        fileKey: profileKey as ComponentFileKey,
        profileKey,
        kind: plainKind(profileKey),
      };
    },
  ),
);

/** Schema of one count-valued profile field, constrained by what its name says it counts. */
function countSchema(key: string, description: string) {
  if (key.endsWith('Generation')) return oneOfIntegers([4, 5, 6], description);
  if (key.endsWith('Lanes')) return oneOfIntegers([1, 2, 4, 8, 16], description);
  if (key.endsWith('PerHost')) return integer(0, 64, description);
  return integer(1, MAX_PORTS, description);
}

function componentSchema(info: ComponentKeyInfo) {
  const d = DEFAULT_COMPONENTS[info.profileKey];
  const unitless = ['count', 'text', 'choice', 'flag'].includes(info.kind);
  const units = {
    time: 'ns',
    size: 'B',
    bandwidth: 'B/ns',
    length: 'm',
    'time-per-length': 'ns/m',
  };
  const description = `overrides components.${info.profileKey} (default ${String(d)}${unitless ? '' : ` ${units[info.kind as keyof typeof units]}`})`;
  switch (info.kind) {
    case 'text':
      return z.string().min(1).describe(description);
    case 'choice':
      return z
        .enum((COMPONENT_CHOICES[info.profileKey] ?? []) as [string, ...string[]])
        .describe(description);
    case 'flag':
      return z.boolean().describe(description);
    case 'count':
      return countSchema(info.profileKey, description);
    case 'time':
    case 'time-per-length':
      return unitString(info.kind, description);
    default:
      return unitString(info.kind, description, { positive: true });
  }
}

const profileSuffixHints: Record<string, string> = Object.fromEntries(
  COMPONENT_KEYS.filter((c) => c.profileKey !== c.fileKey).map((c) => [
    c.profileKey,
    `write \`${c.fileKey}\` with a unit string (the unit goes in the value, not the key)`,
  ]),
);

/** `components:` — overrides of the component profile; output is a partial profile. */
export const componentsSchema = strict(
  Object.fromEntries(
    COMPONENT_KEYS.map((c) => [c.fileKey, optional(componentSchema(c))]),
  ) as unknown as Record<ComponentFileKey, z.ZodOptional<z.ZodType>>,
  profileSuffixHints,
).meta({
  id: 'components',
  description:
    'Overrides of the component profile (src/topology/defaults.ts): profile keys without their unit suffix, values as unit strings; counts as integers.',
});

/** `layout:` — rack geometry used for placements and derived cable lengths. */
export const layoutSchema = strict({
  rackPitch: optional(
    unitString('length', 'centre-to-centre distance of adjacent racks', { positive: true }),
  ),
  heightU: optional(integer(4, 100, 'rack units per rack')),
}).meta({
  id: 'layout',
  description: 'Rack geometry (explicit files): rack pitch and rack height; default "0.6 m", 42U.',
});

/** The keys both forms share. */
export const common = {
  name: z
    .string()
    .min(1)
    .optional()
    .describe('Topology name; default: the file name without extension.'),
  description: z
    .string()
    .optional()
    .describe('One-paragraph description of the topology and why its numbers are what they are.'),
  components: optional(componentsSchema),
  layout: optional(layoutSchema),
};
