/**
 * Steps both topology file forms share: the order issues are listed in, the component profile a
 * file's `components:` resolves to, and the refusal of `layout:` in the generator form.
 */
import type { Issue } from '../../errors/index.ts';
import {
  DEFAULT_COMPONENTS,
  DEFAULT_LAYOUT,
  type ComponentProfile,
} from '../../topology/defaults.ts';
import { byPathIn } from '../files.ts';
import { COMPONENT_KEYS } from './schema-common.ts';

/** Top-level keys in the order a file is read (and issues listed). */
const KEY_ORDER = [
  'name',
  'description',
  'generator',
  'params',
  'options',
  'components',
  'layout',
  'nodes',
  'links',
];

/** Order issues by where they are in the file (top-level keys in file order, then index order), keeping ties stable. */
export const byPath = byPathIn(KEY_ORDER);

/** The resolved profile: defaults plus the file's `components:` overrides (already parsed). */
export function resolveProfile(
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

/** `layout:` does not reach generators (they place equipment themselves): refuse it rather than ignore it. */
export function generatorLayoutIssues(data: Readonly<Record<string, unknown>>): Issue[] {
  if (!Object.hasOwn(data, 'layout')) return [];
  return [
    {
      code: 'input.unsupported',
      path: ['layout'],
      message: `generators place equipment in ${DEFAULT_LAYOUT.heightU}U racks ${DEFAULT_LAYOUT.rackPitchM} m apart and do not take a layout; remove \`layout\` or write the topology in the explicit form (nodes + links)`,
    },
  ];
}
