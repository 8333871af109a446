/**
 * `octopus-islands`: hosts grouped into islands with full pairwise overlap inside (an
 * intra-island λ = 1 design using r of each host's X ports), and the remaining X − r ports
 * cabled to inter-island MHDs whose N hosts all lie in different islands (docs/references.md §1:
 * low-latency communication inside an island, sparse links between islands to favour pooling).
 *
 * The island split (equal islands, or two sizes when no equal split has ≥ N islands) is chosen
 * in `octopus-islands-split.ts`; the inter-island wiring (`spread` or `local`, never duplicating a
 * pair) in `octopus-islands-wiring.ts`. Islands are laid out in order, island 0 first.
 */
import { GeneratorError } from '../../errors/index.ts';
import { assembleOctopus } from './octopus-common.ts';
import { chooseSplit, describeSplit, type IslandSplit } from './octopus-islands-split.ts';
import { addInterIslandDevices, type InterIslandMode } from './octopus-islands-wiring.ts';
import type { Generator, OctopusIslandsParams } from './types.ts';

export { islandSizes, autoSplit, describeSplit } from './octopus-islands-split.ts';
export { interIslandSpans, type InterIslandMode } from './octopus-islands-wiring.ts';

/**
 * Default inter-island wiring: `spread`. For the paper's 96-host pod (6 islands of 16, N = 4)
 * no wiring can keep every device within 4 islands — the 48 devices of island 0 and the 48 of
 * island 5 cannot all be different among 72, so ≥ 24 join both ends — and `spread` keeps the
 * bundled octopus-96 pod byte-identical; `local` is for pods with many islands, where it bounds
 * the span (docs/octopus-generators.md "Inter-island wiring").
 */
export const DEFAULT_INTER_ISLAND: InterIslandMode = 'spread';

/**
 * The `interIsland` parameter, checked again here because library callers can pass any value
 * at run time (files are checked by the parameter schema first).
 * @throws GeneratorError `generator.out-of-range` for anything but 'spread' or 'local'
 */
export function interIslandMode(params: OctopusIslandsParams): InterIslandMode {
  const raw: unknown = (params as { interIsland?: unknown }).interIsland;
  if (raw === undefined) return DEFAULT_INTER_ISLAND;
  if (raw === 'spread' || raw === 'local') return raw;
  throw new GeneratorError([
    {
      code: 'generator.out-of-range',
      path: ['params', 'interIsland'],
      message: `interIsland ${JSON.stringify(raw)} is not a wiring mode; allowed: 'spread' (devices spread over all islands, the default) or 'local' (devices join islands near each other in rack order)`,
    },
  ]);
}

/** The incidence of an island pod: devices (intra-island first), island of each host, the split. */
export function islandIncidence(params: OctopusIslandsParams): {
  devices: number[][];
  islandOf: number[];
  split: IslandSplit;
  mode: InterIslandMode;
} {
  const mode = interIslandMode(params);
  const split = chooseSplit(params);
  const devices: number[][] = [];
  const islandOf: number[] = [];
  let first = 0;
  split.forEach((kind, i) => {
    for (let h = 0; h < kind.size; h++) islandOf.push(i);
    for (const block of kind.design.blocks) devices.push(block.map((p) => first + p));
    first += kind.size;
  });
  addInterIslandDevices(params, split, islandOf, devices, mode);
  return { devices, islandOf, split, mode };
}

/** The description line: unchanged wording for equal islands with `spread` wiring. */
function describe(
  params: OctopusIslandsParams,
  split: IslandSplit,
  mode: InterIslandMode,
  devices: number,
): string {
  const { hosts, hostPorts: X, devicePorts: N } = params;
  const first = split[0];
  const equal = first !== undefined && split.every((k) => k.size === first.size);
  const inside = equal
    ? `${split.length} islands of ${first.size} (${first.design.construction} inside, ${first.ports} ports), ${X - first.ports} inter-island ports per host`
    : `${split.length} islands (${describeSplit(split)}; ${[...new Set(split.map((k) => `${k.size}: ${k.design.construction} on ${k.ports} port${k.ports === 1 ? '' : 's'}`))].join(', ')}), ${X - Math.max(...split.map((k) => k.ports))}–${X - Math.min(...split.map((k) => k.ports))} inter-island ports per host`;
  const wiring = mode === 'spread' ? '' : ', local inter-island wiring';
  return `Octopus island pod: ${hosts} hosts in ${inside}, ${devices} ${N}-port MHDs${wiring}`;
}

/** The `octopus-islands` generator. */
export const octopusIslands: Generator<OctopusIslandsParams> = {
  name: 'octopus-islands',
  family: 'octopus',
  summary:
    'islands with full pairwise overlap inside (a λ=1 design per island) and sparse inter-island MHDs on the remaining host ports; default island = largest that divides the host count into ≥ N islands',
  generate(params, options = {}) {
    const { hosts, hostPorts: X, devicePorts: N } = params;
    const { devices, islandOf, split, mode } = islandIncidence(params);
    return assembleOctopus(
      { hosts, devices, islandOf },
      { hostPorts: X, devicePorts: N },
      {
        name: `octopus-islands-${hosts}`,
        description: describe(params, split, mode, devices.length),
        generator: { name: 'octopus-islands', params: { ...params } },
      },
      options,
    );
  },
};
