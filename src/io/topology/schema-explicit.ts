/**
 * The explicit form of a topology file (`nodes` + `links`), and the schema of either form that
 * the JSON Schema for editors is generated from.
 */
import { z } from 'zod';
import { show, suggestion, tagged } from '../issues.ts';
import {
  integer,
  MAX_COUNT,
  MAX_PORTS,
  oneOfIntegers,
  optional,
  strict,
  unitString,
} from '../schema-fields.ts';
import { common } from './schema-common.ts';
import { generatorFileSchema } from './schema-generator.ts';

const nodeId = z
  .string()
  // eslint-disable-next-line no-control-regex -- control characters are refused too
  .regex(/^(?!.*--)[^\s\u0000-\u001f]+$/, {
    error: (iss) =>
      tagged(
        'input.id',
        `ids have no spaces, no control characters (U+0000–U+001F) and no "--" (that joins link ids), got ${show(iss.input)}`,
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
  gpuHostLink: z
    .enum(['pcie', 'c2c'])
    .optional()
    .describe("this host's GPU link: pcie or c2c (default components.gpuHostLink)"),
  gpuPcieGeneration: optional(
    oneOfIntegers(
      [4, 5, 6],
      "this host's GPU PCIe generation (default components.gpuPcieGeneration)",
    ),
  ),
  gpuPcieLanes: optional(
    oneOfIntegers([1, 2, 4, 8, 16], "this host's GPU PCIe lanes (default components.gpuPcieLanes)"),
  ),
  nicRate: optional(
    unitString('bandwidth', "this host's NIC line rate (default components.nicRate)", {
      positive: true,
    }),
  ),
  nicPcieGeneration: optional(
    oneOfIntegers(
      [4, 5, 6],
      "this host's NIC PCIe generation (default components.nicPcieGeneration)",
    ),
  ),
  nicPcieLanes: optional(
    oneOfIntegers([1, 2, 4, 8, 16], "this host's NIC PCIe lanes (default components.nicPcieLanes)"),
  ),
  gpuDirectRdma: z
    .boolean()
    .optional()
    .describe(
      "GPUDirect RDMA between this host's GPUs and NICs (default components.gpuDirectRdma)",
    ),
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
    unitString('length', 'cable length; default: derived from the placements of a and b', {
      positive: true,
    }),
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
      unitString(
        'bandwidth',
        "line rate; default: the NIC's rate at a NIC end, else components.nicRate",
        { positive: true },
      ),
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
