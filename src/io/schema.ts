/**
 * The zod schemas of topology files (docs/topology-files.md), one place for both what the
 * loader accepts and the JSON Schema editors use (`topologies/topology.schema.json`).
 *
 * Schemas parse at the edge (docs/design.md convention §3): unit strings become branded quantities here
 * (`"256 GiB"` → `Bytes`), integers must be integers, and a bare number where a unit string
 * is expected is refused, never guessed. Every message is written for the file's author and
 * carries a podsim code (see `issues.ts`).
 *
 * Two file forms share the common keys `name`, `description`, `components`, `layout`:
 * - generator form: `generator` + `params` (+ `options`), one variant per generator;
 * - explicit form: `nodes` + `links`.
 */
import { z } from 'zod';
import { UnitError } from '../errors/index.ts';
import { parseQuantity, parseTimePerLength, type Dimension } from '../units/index.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../topology/defaults.ts';
import {
  GENERATOR_NAMES,
  type GeneratorName,
  type GeneratorParams,
} from '../topology/generators/index.ts';
import { KEY_SEPARATOR, show, suggestion, tagged } from './issues.ts';

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** Dimensions a unit string in a topology file may have. */
export type FileDimension = Exclude<Dimension, 'money'> | 'time-per-length';

const UNIT_EXAMPLES: Readonly<Record<FileDimension, readonly string[]>> = {
  time: ['250 ns', '3 us'],
  size: ['256 GiB', '1 TiB', '64 GB'],
  bandwidth: ['28 GB/s', '200 Gb/s'],
  length: ['1.5 m', '80 cm'],
  'time-per-length': ['5 ns/m'],
};

const UNIT_WORDS: Readonly<Record<FileDimension, string>> = {
  time: 'a time',
  size: 'a size',
  bandwidth: 'a bandwidth',
  length: 'a length',
  'time-per-length': 'a time per length',
};

/** The input seen by a zod error function (zod reports `Infinity` as `received`). */
function inputOf(iss: { input?: unknown }): unknown {
  const received = (iss as { received?: unknown }).received;
  return received !== undefined ? received : iss.input;
}

/**
 * A unit string of `dimension`, parsed into its canonical unit (`ns`, `B`, `B/ns`, `m`, `ns/m`).
 * Refuses bare numbers, strings without a number (`"ns"`), other dimensions and negatives; with
 * `positive`, also zero.
 */
export function unitString<D extends FileDimension>(
  dimension: D,
  description: string,
  options: { positive?: boolean } = {},
) {
  const examples = UNIT_EXAMPLES[dimension];
  const expected = `expected ${UNIT_WORDS[dimension]} with a unit, such as ${examples.map((e) => `"${e}"`).join(' or ')}`;
  type Out = D extends Exclude<Dimension, 'money'> ? ReturnType<typeof parseQuantity<D>> : number;
  return z
    .string({
      error: (iss) => {
        const input = inputOf(iss);
        if (input === undefined) return tagged('input.required', `required: ${expected}`);
        return tagged(
          'unit.invalid',
          typeof input === 'number'
            ? `got the bare number ${show(input)} with no unit; ${expected}`
            : `got ${show(input)}; ${expected}`,
        );
      },
    })
    .meta({ examples: [...examples] })
    .transform((text, ctx): Out => {
      const fail = (message: string, code = 'unit.invalid'): never => {
        ctx.issues.push({ code: 'custom', input: text, message: tagged(code, message) });
        return z.NEVER as never;
      };
      if (!/[0-9]/.test(text)) return fail(`"${text}" has no number; ${expected}`);
      let value: number;
      try {
        value =
          dimension === 'time-per-length'
            ? parseTimePerLength(text)
            : parseQuantity(text, dimension as Exclude<Dimension, 'money'>);
      } catch (e) {
        if (e instanceof UnitError)
          return fail(e.issues[0]?.message ?? `cannot read "${text}"; ${expected}`);
        throw e;
      }
      if (options.positive === true && !(value > 0))
        return fail(`"${text}" must be more than zero`, 'input.range');
      return value as Out;
    })
    .describe(`${description} (${UNIT_WORDS[dimension]}, e.g. "${examples[0]}")`);
}

/** An integer in `[min, max]`, with one message for every way of missing it. */
export function integer(min: number, max: number, description: string) {
  const wanted = `an integer ${max >= 1e6 ? `≥ ${min}` : `between ${min} and ${max}`}`;
  const error = (iss: { input?: unknown }): string => {
    const input = inputOf(iss);
    if (input === undefined) return tagged('input.required', `required: expected ${wanted}`);
    return tagged('input.integer', `expected ${wanted}, got ${show(input)}`);
  };
  return z
    .number({ error })
    .int({ error })
    .min(min, { error })
    .max(max, { error })
    .describe(description);
}

/** One of a few allowed integers (PCIe generations, lane widths). */
export function oneOfIntegers<const T extends readonly [number, ...number[]]>(
  values: T,
  description: string,
) {
  return z
    .literal(values, {
      error: (iss) => {
        const input = inputOf(iss);
        if (input === undefined)
          return tagged('input.required', `required: expected one of ${values.join(', ')}`);
        return tagged('input.enum', `expected one of ${values.join(', ')}, got ${show(input)}`);
      },
    })
    .describe(description);
}

/** `schema.optional()` keeping the description (zod 4 does not carry it to wrappers). */
export function optional<T extends z.ZodType>(schema: T) {
  const d = schema.description;
  const o = schema.optional();
  return d === undefined ? o : o.describe(d);
}

/** `schema.default(value)` keeping the description. */
export function withDefault<T extends z.ZodType>(
  schema: T,
  value: z.util.NoUndefined<z.output<T>>,
) {
  const d = schema.description;
  const o = schema.default(value);
  return d === undefined ? o : o.describe(d);
}

/**
 * A strict object: any key not in `shape` is an issue naming the closest allowed key (or a
 * hint from `hints`, keyed by the unknown key).
 */
export function strict<S extends z.core.$ZodLooseShape>(
  shape: S,
  hints: Readonly<Record<string, string>> = {},
) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        return iss.keys
          .map((k) =>
            tagged(
              'input.unknown-key',
              Object.hasOwn(hints, k)
                ? `unknown key \`${k}\`: ${hints[k]}`
                : `unknown key \`${k}\`${suggestion(k, allowed, (s) => `\`${s}\``)}`,
            ),
          )
          .join(KEY_SEPARATOR);
      }
      const input = inputOf(iss);
      if (iss.code === 'invalid_type' && input !== undefined)
        return tagged('input.type', `expected a mapping (key: value), got ${show(input)}`);
      return undefined;
    },
  });
}

/** Largest count accepted for hosts/devices (a sanity bound far above the paper's 96-host pods). */
export const MAX_COUNT = 10_000;
/** Largest port count accepted on any device, host or switch. */
export const MAX_PORTS = 1024;

// ---------------------------------------------------------------------------------------------
// components: the ComponentProfile with unit suffixes removed, values as unit strings
// ---------------------------------------------------------------------------------------------

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
  /** Unit dimension of the value, `count` for integers, `text` for strings. */
  readonly kind: FileDimension | 'count' | 'text';
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
        kind: typeof DEFAULT_COMPONENTS[profileKey] === 'string' ? 'text' : 'count',
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
  const description = `overrides components.${info.profileKey} (default ${String(d)}${info.kind === 'count' || info.kind === 'text' ? '' : ` ${{ time: 'ns', size: 'B', bandwidth: 'B/ns', length: 'm', 'time-per-length': 'ns/m' }[info.kind]}`})`;
  switch (info.kind) {
    case 'text':
      return z.string().min(1).describe(description);
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

const common = {
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

// ---------------------------------------------------------------------------------------------
// Generator form
// ---------------------------------------------------------------------------------------------

const hostPorts = integer(
  1,
  MAX_PORTS,
  'CXL ports per host used for the pod (Octopus X): each host joins X devices',
);
const devicePorts = integer(
  2,
  MAX_PORTS,
  'ports per multi-headed device (Octopus N): each device serves N hosts',
);
const hosts = integer(1, MAX_COUNT, 'number of hosts');
const seed = withDefault(
  integer(0, 2 ** 32 - 1, 'seed of the deterministic wiring choices (default 1)'),
  1,
);

const octopusBibdParams = strict({ hostPorts, devicePorts }).meta({
  id: 'params-octopus-bibd',
  description: 'octopus-bibd: λ=1 block design; n = X(N−1)+1 hosts, nX/N MHDs.',
});
const octopusIslandsParams = strict({
  hosts,
  hostPorts,
  devicePorts,
  islandSize: optional(
    integer(
      2,
      MAX_COUNT,
      'hosts per island; default: the largest island size with a design that divides the host count',
    ),
  ),
  seed,
}).meta({
  id: 'params-octopus-islands',
  description: 'octopus-islands: full overlap inside islands, sparse inter-island devices.',
});
const octopusSparseParams = strict({
  hosts,
  hostPorts,
  devicePorts,
  objective: withDefault(
    z
      .enum(['pair-coverage'])
      .describe('what the wiring maximises: pair-coverage = host pairs sharing a device (default)'),
    'pair-coverage',
  ),
  seed,
}).meta({
  id: 'params-octopus-sparse',
  description: 'octopus-sparse: any host count, host degree ≤ X, device degree ≤ N.',
});
const fullPodParams = strict({
  hosts: integer(1, MAX_COUNT, 'number of hosts (each device has one port per host)'),
  devices: integer(1, MAX_COUNT, 'number of devices (each host has one CXL port per device)'),
}).meta({ id: 'params-full-pod', description: 'full-pod: every host cabled to every device.' });
const switchedCxlParams = strict({
  hosts,
  devices: integer(1, MAX_COUNT, 'single-headed memory devices behind the switches'),
  switchPorts: integer(1, MAX_PORTS, 'ports per CXL switch'),
  hostLinks: integer(1, MAX_PORTS, 'CXL links from each host to the switch layer'),
}).meta({
  id: 'params-switched-cxl',
  description: 'switched-cxl: hosts → CXL switches → memory devices.',
});
const rdmaRackParams = strict({
  hosts,
  racks: integer(
    1,
    MAX_COUNT,
    'racks the hosts are split over (one ToR each; spines join them when more than one)',
  ),
}).meta({
  id: 'params-rdma-rack',
  description: 'rdma-rack: hosts with NICs → ToR per rack → spine layer.',
});

const podOf = <
  K extends 'octopus-bibd' | 'octopus-islands' | 'octopus-sparse',
  P extends z.ZodType,
>(
  generator: K,
  params: P,
) => strict({ generator: z.literal(generator).describe('generator of each pod'), params });

const hybridPod = z
  .discriminatedUnion('generator', [
    podOf('octopus-bibd', octopusBibdParams),
    podOf('octopus-islands', octopusIslandsParams),
    podOf('octopus-sparse', octopusSparseParams),
  ])
  .describe('the pod: an Octopus generator and its parameters');
const hybridParams = strict({
  pods: integer(1, 1000, 'number of Octopus pods, joined by RDMA'),
  pod: hybridPod,
}).meta({
  id: 'params-hybrid',
  description: 'hybrid: Octopus pods joined by RDMA (ToR per pod, spine across pods).',
});

const PARAM_SCHEMAS = {
  'octopus-bibd': octopusBibdParams,
  'octopus-islands': octopusIslandsParams,
  'octopus-sparse': octopusSparseParams,
  'full-pod': fullPodParams,
  'switched-cxl': switchedCxlParams,
  'rdma-rack': rdmaRackParams,
  hybrid: hybridParams,
} as const;

/** What a generator's `params:` look like in a file (before defaults are applied). */
export type GeneratorFileParams = { [K in GeneratorName]: z.input<(typeof PARAM_SCHEMAS)[K]> };

/**
 * The zod schema of each generator's `params:` (matching src/topology/generators/types.ts),
 * every field with `.describe()` text so the CLI can build flags from them. Output is the
 * generator's resolved parameter object (defaults applied: `seed: 1`, `objective: pair-coverage`).
 */
export const GENERATOR_PARAM_SCHEMAS: {
  readonly [K in GeneratorName]: (typeof PARAM_SCHEMAS)[K] &
    z.ZodType<GeneratorParams[K] | z.output<(typeof PARAM_SCHEMAS)[K]>, GeneratorFileParams[K]>;
} = PARAM_SCHEMAS;

/** `options:` of the generator form. */
export const generateOptionsSchema = strict({
  gpusPerHost: optional(integer(0, 64, 'GPUs per host; default components.gpusPerHost')),
  nicsPerHost: optional(
    integer(
      0,
      64,
      'RDMA NICs per host; default 0 for CXL-only pods, components.nicsPerHost for RDMA families',
    ),
  ),
}).meta({ id: 'generate-options', description: 'Options common to every generator.' });

function generatorVariant<K extends GeneratorName>(name: K) {
  return strict(
    {
      ...common,
      generator: z.literal(name).describe('the topology generator'),
      params: PARAM_SCHEMAS[name] as (typeof PARAM_SCHEMAS)[K],
      options: optional(generateOptionsSchema),
    },
    {
      nodes:
        'a file has either `generator` (generated topology) or `nodes`/`links` (explicit topology), not both',
      links: 'links belong to explicit files (`nodes` + `links`), not generated ones',
    },
  );
}

const generatorVariants = GENERATOR_NAMES.map((n) => generatorVariant(n));

/** The generator form: `generator: <name>`, `params: {…}`, optional `options`. */
export const generatorFileSchema = z
  .discriminatedUnion(
    'generator',
    generatorVariants as unknown as [
      ReturnType<typeof generatorVariant<'octopus-bibd'>>,
      ...ReturnType<typeof generatorVariant>[],
    ],
  )
  .describe('Generated topology: a generator name and its parameters.');

// ---------------------------------------------------------------------------------------------
// Explicit form
// ---------------------------------------------------------------------------------------------

const nodeId = z
  .string()
  .regex(/^(?!.*--)[^\s]+$/, {
    error: (iss) =>
      tagged(
        'input.id',
        `ids have no spaces and no "--" (that joins link ids), got ${show(iss.input)}`,
      ),
  })
  .describe('unique node id, e.g. h0, d0, sw0, tor0');
const placement = {
  rack: optional(integer(0, MAX_COUNT, 'rack index (default 0)')),
  slot: optional(
    integer(0, 99, 'rack unit of the bottom of the item (default: next free slot in file order)'),
  ),
};

const hostNode = strict({
  id: nodeId,
  kind: z.literal('host'),
  ...placement,
  sockets: optional(integer(1, 16, 'CPU sockets')),
  cxlPorts: optional(integer(0, MAX_PORTS, 'CXL ports (Octopus X)')),
  cxlPortLanes: optional(oneOfIntegers([1, 2, 4, 8, 16], 'PCIe lanes per CXL port')),
  localDram: optional(unitString('size', 'local DRAM')),
  gpus: optional(integer(0, 64, 'GPUs, created as <id>.gpu0, <id>.gpu1, …')),
  nics: optional(
    integer(
      0,
      64,
      'RDMA NICs (default 0), created as <id>.nic0, <id>.nic1, … (cable each to a ToR with a network link)',
    ),
  ),
  island: optional(integer(0, MAX_COUNT, 'island index (island pods)')),
});
const deviceNode = strict({
  id: nodeId,
  kind: z.enum(['mhd', 'memory-device']),
  ...placement,
  ports: optional(
    integer(
      1,
      MAX_PORTS,
      'host-facing ports (Octopus N); default components.mhdPorts for an MHD, 1 for a memory device',
    ),
  ),
  capacity: optional(unitString('size', 'memory capacity', { positive: true })),
  mediaBandwidth: optional(
    unitString('bandwidth', 'internal DRAM bandwidth shared by all heads', { positive: true }),
  ),
  controllerLatency: optional(unitString('time', 'CXL controller latency per access')),
  mediaLatency: optional(unitString('time', 'DRAM media access latency')),
});
const switchNode = strict({
  id: nodeId,
  kind: z.literal('cxl-switch'),
  ...placement,
  ports: optional(integer(1, MAX_PORTS, 'switch ports')),
  traversalLatency: optional(unitString('time', 'one pass through the switch, one direction')),
});
const networkSwitchNode = strict({
  id: nodeId,
  kind: z.enum(['tor', 'spine']),
  ...placement,
  ports: optional(integer(1, MAX_PORTS, 'switch ports')),
  latency: optional(unitString('time', 'one pass through the switch')),
});

/** Node kinds an explicit file may declare (GPUs and NICs come from their host). */
export const FILE_NODE_KINDS = [
  'host',
  'mhd',
  'memory-device',
  'cxl-switch',
  'tor',
  'spine',
] as const;

/** One entry of `nodes:`. */
export const nodeSchema = z.discriminatedUnion(
  'kind',
  [
    hostNode.meta({ id: 'host-node' }),
    deviceNode.meta({ id: 'device-node' }),
    switchNode.meta({ id: 'cxl-switch-node' }),
    networkSwitchNode.meta({ id: 'network-switch-node' }),
  ],
  {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const input = iss.input;
      if (input === null || typeof input !== 'object' || Array.isArray(input))
        return tagged(
          'input.type',
          `expected a node (a mapping with \`id\` and \`kind\`), got ${show(input)}`,
        );
      const kind = (input as Record<string, unknown>)['kind'];
      const allowed = FILE_NODE_KINDS.join(', ');
      if (kind === undefined)
        return tagged('input.kind', `required: \`kind\` must be one of ${allowed}`);
      if (kind === 'gpu' || kind === 'nic')
        return tagged(
          'input.kind',
          `kind "${kind}" is not declared as a node: give the host \`${kind}s: <count>\` and podsim creates <host>.${kind}0, <host>.${kind}1, …; node kinds: ${allowed}`,
        );
      return tagged(
        'input.kind',
        `unknown node kind ${show(kind)}${typeof kind === 'string' ? suggestion(kind, FILE_NODE_KINDS) : `; node kinds: ${allowed}`}`,
      );
    },
  },
);

const linkEnds = {
  a: z.string().min(1).describe('node id at one end'),
  b: z.string().min(1).describe('node id at the other end'),
  id: z
    .string()
    .min(1)
    .optional()
    .describe('link id; must be "<a>--<b>" or "<b>--<a>" (podsim names links that way)'),
  length: optional(
    unitString('length', 'cable length; default: derived from the placements of a and b'),
  ),
};
const cxlLink = strict(
  {
    ...linkEnds,
    kind: z.literal('cxl'),
    lanes: optional(oneOfIntegers([1, 2, 4, 8, 16], 'PCIe lanes; default: the host port width')),
    generation: optional(
      oneOfIntegers(
        [4, 5, 6],
        'PCIe generation of the electrical layer (5 = CXL 2.0/3.x on PCIe 5)',
      ),
    ),
    retimers: optional(
      integer(0, 16, 'retimers on the cable; default: the minimum for the copper reach'),
    ),
  },
  {
    rate: 'a CXL link’s bandwidth follows from `lanes` × `generation`; `rate` is for network links',
    protocol: '`protocol` is for network links (ethernet or infiniband)',
  },
);
const networkLink = strict(
  {
    ...linkEnds,
    kind: z.literal('network'),
    rate: optional(
      unitString('bandwidth', 'line rate; default components.nicRate', { positive: true }),
    ),
    protocol: z.enum(['ethernet', 'infiniband']).optional().describe('default infiniband'),
  },
  {
    lanes: '`lanes` is for CXL links; a network link has a `rate`',
    generation: '`generation` is for CXL links; a network link has a `rate`',
    retimers: '`retimers` is for CXL links',
  },
);

/** One entry of `links:`. */
export const linkSchema = z.discriminatedUnion(
  'kind',
  [cxlLink.meta({ id: 'cxl-link' }), networkLink.meta({ id: 'network-link' })],
  {
    error: (iss) => {
      if (iss.code !== 'invalid_union') return undefined;
      const input = iss.input;
      if (input === null || typeof input !== 'object' || Array.isArray(input))
        return tagged(
          'input.type',
          `expected a link (a mapping with \`a\`, \`b\` and \`kind\`), got ${show(input)}`,
        );
      const kind = (input as Record<string, unknown>)['kind'];
      if (kind === undefined)
        return tagged('input.kind', 'required: `kind` must be cxl or network');
      if (kind === 'pcie')
        return tagged(
          'input.kind',
          'PCIe links to GPUs and NICs are created with their host; link kinds: cxl, network',
        );
      return tagged(
        'input.kind',
        `unknown link kind ${show(kind)}${typeof kind === 'string' ? suggestion(kind, ['cxl', 'network']) : '; link kinds: cxl, network'}`,
      );
    },
  },
);

/** The explicit form: `nodes:` and `links:`. */
export const explicitFileSchema = strict(
  {
    ...common,
    nodes: z
      .array(nodeSchema)
      .min(1)
      .describe('hosts, memory devices, CXL switches, ToRs and spines'),
    links: z.array(linkSchema).default([]).describe('CXL and network cables'),
  },
  {
    generator:
      'a file has either `generator` (generated topology) or `nodes`/`links` (explicit topology), not both',
    params: '`params` belongs to generated topologies (`generator:`)',
    options: '`options` belongs to generated topologies (`generator:`)',
  },
).describe('Explicit topology: every node and link listed.');

/** Either form; used for the JSON Schema (the loader picks the form first, for clearer messages). */
export const topologyFileSchema = z.union([generatorFileSchema, explicitFileSchema]).meta({
  title: 'podsim topology file',
  description:
    'A podsim topology: either a generator with parameters, or explicit nodes and links. See docs/topology-files.md.',
});

/** Parsed explicit file. */
export type ExplicitFile = z.output<typeof explicitFileSchema>;
/** Parsed node entry. */
export type FileNode = z.output<typeof nodeSchema>;
/** Parsed link entry. */
export type FileLink = z.output<typeof linkSchema>;
/** Parsed generator-form file. */
export type GeneratorFile = z.output<typeof generatorFileSchema>;

/**
 * The JSON Schema (draft 2020-12) of the topology file format, for editors
 * (`# yaml-language-server: $schema=…`) and `podsim topology schema`. Unit strings appear as
 * strings with examples; rules only code can check (unit dimensions, ids, ports) are not in it.
 */
export function topologyJsonSchema(): object {
  return z.toJSONSchema(topologyFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
}
