/**
 * Topology files: YAML or JSON (JSON is YAML) in, a validated {@link TopologyGraph} out — or a
 * {@link PodsimError} naming the file and listing **every** problem, each with a path into the
 * file (docs/design.md convention §3–5). The format is documented in docs/topology-files.md; in short:
 *
 * ```yaml
 * # Generator form
 * name: octopus-96                 # optional; default: the file name without extension
 * description: …                   # optional
 * generator: octopus-islands       # one of GENERATOR_NAMES
 * params: { hosts: 96, hostPorts: 8, devicePorts: 4, seed: 1 }
 * options: { gpusPerHost: 8, nicsPerHost: 0 }        # optional
 * components: { mhdCapacity: "1 TiB" }               # optional profile overrides
 *
 * # Explicit form
 * layout: { rackPitch: "0.6 m", heightU: 42 }        # optional
 * nodes:
 *   - { id: h0, kind: host, gpus: 1, nics: 1 }       # GPUs/NICs become h0.gpu0, h0.nic0
 *   - { id: d0, kind: mhd, ports: 4, capacity: "256 GiB" }
 *   - { id: tor0, kind: tor }
 * links:
 *   - { a: h0, b: d0, kind: cxl, length: "0.5 m" }
 *   - { a: h0.nic0, b: tor0, kind: network, rate: "200 Gb/s" }
 * ```
 *
 * Loading runs in stages, each reporting all it finds: YAML syntax (→ {@link InputError} with line
 * and column); the schema plus cross-references — duplicate ids, links to unknown nodes, duplicate
 * links — (→ InputError, or {@link TopologyError} when only cross-references fail); then the
 * generator (→ {@link GeneratorError}, paths pointing into `params`/`options`) or the builder;
 * then {@link validateTopology} (→ TopologyError, node and link issues mapped back to
 * `nodes[i].field` / `links[j].field`). This file and `cli/` are the only places that read files.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document } from 'yaml';
import {
  GeneratorError,
  InputError,
  PodsimError,
  TopologyError,
  type Issue,
} from '../errors/index.ts';
import { TopologyBuilder, linkId } from '../topology/builder.ts';
import { DEFAULT_COMPONENTS, DEFAULT_LAYOUT, type ComponentProfile } from '../topology/defaults.ts';
import {
  generate,
  type GenerateOptions,
  type GeneratorName,
  type GeneratorParams,
} from '../topology/generators/index.ts';
import { HEIGHT_U } from '../topology/layout.ts';
import type { Placement, TopologyGraph } from '../topology/types.ts';
import { validateTopology, type TopologyIssue } from '../topology/validate.ts';
import type { Metres } from '../units/index.ts';
import { fromZodIssues, show, suggestion } from './issues.ts';
import { byPathIn, isRecord, listBundled, readFileOrPreset, readYaml, stem } from './files.ts';
import {
  COMPONENT_KEYS,
  componentsSchema,
  explicitFileSchema,
  generatorFileSchema,
  type ComponentFileKey,
  type ExplicitFile,
  type FileLink,
  type FileNode,
  type GeneratorFile,
  type GeneratorFileParams,
} from './schema.ts';

// ---------------------------------------------------------------------------------------------
// Reading YAML
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Shared steps
// ---------------------------------------------------------------------------------------------

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
const byPath = byPathIn(KEY_ORDER);

/** The resolved profile: defaults plus the file's `components:` overrides (already parsed). */
function resolveProfile(
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
function generatorLayoutIssues(data: Readonly<Record<string, unknown>>): Issue[] {
  if (!Object.hasOwn(data, 'layout')) return [];
  return [
    {
      code: 'input.unsupported',
      path: ['layout'],
      message: `generators place equipment in ${DEFAULT_LAYOUT.heightU}U racks ${DEFAULT_LAYOUT.rackPitchM} m apart and do not take a layout; remove \`layout\` or write the topology in the explicit form (nodes + links)`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Generator form
// ---------------------------------------------------------------------------------------------

/** Points a generator's issue paths into the file (`params…`, `options…`), under `prefix` for nested pods. */
function intoFile(issues: readonly Issue[], prefix: readonly (string | number)[] = []): Issue[] {
  return issues.map((i) => {
    const head = i.path[0];
    if (head === 'params' && prefix.length > 0) return { ...i, path: [...prefix, ...i.path] };
    if (head === 'params' || head === 'options' || head === 'components') return i;
    return { ...i, path: ['generator', ...i.path] };
  });
}

function buildGenerated(data: Readonly<Record<string, unknown>>, file: string): TopologyGraph {
  const parsed = generatorFileSchema.safeParse(data, { reportInput: true });
  const issues = [
    ...(parsed.success ? [] : fromZodIssues(parsed.error.issues)),
    ...generatorLayoutIssues(data),
  ];
  if (!parsed.success || issues.length > 0) throw new InputError(issues.sort(byPath), file);
  const f: GeneratorFile = parsed.data;
  const components = resolveProfile(f.components as Record<string, unknown> | undefined);
  const options: GenerateOptions = {
    name: f.name ?? stem(file),
    components,
    ...(f.options?.gpusPerHost === undefined ? {} : { gpusPerHost: f.options.gpusPerHost }),
    ...(f.options?.nicsPerHost === undefined ? {} : { nicsPerHost: f.options.nicsPerHost }),
  };
  let graph: TopologyGraph;
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
    graph = generate(f.generator, f.params as GeneratorParams[GeneratorName], options);
  } catch (e) {
    if (e instanceof PodsimError && e.file === file) throw e;
    if (e instanceof GeneratorError) throw new GeneratorError(intoFile(e.issues), file);
    throw e;
  }
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

// ---------------------------------------------------------------------------------------------
// Explicit form
// ---------------------------------------------------------------------------------------------

/** Where the builder's derived nodes (GPUs, NICs) come from. */
interface Derived {
  readonly host: string;
  readonly hostIndex: number;
  readonly kind: 'gpu' | 'nic';
  readonly n: number;
}

/** What the cross-reference check learns about node ids. */
interface IdIndex {
  /** Declared id → index in `nodes`. */
  readonly declared: Map<string, number>;
  /** Derived GPU/NIC id → its host. */
  readonly derived: Map<string, Derived>;
}

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 64;

/**
 * Duplicate ids, links to unknown nodes, duplicate links, self-links and link ids, checked on the
 * raw data so they are reported together with schema problems. Where the raw data is too broken
 * to know an id (a node without a string id, a host whose GPU/NIC count is invalid), references
 * that might point at it are not flagged, so no issue is a knock-on of another.
 */
function crossReferences(data: Readonly<Record<string, unknown>>): {
  issues: Issue[];
  ids: IdIndex;
} {
  const issues: Issue[] = [];
  const declared = new Map<string, number>();
  const derived = new Map<string, Derived>();
  const nodes = Array.isArray(data['nodes']) ? (data['nodes'] as unknown[]) : [];
  const links = Array.isArray(data['links']) ? (data['links'] as unknown[]) : [];
  const comps = componentsSchema.safeParse(data['components'] ?? {});
  const profile = comps.success ? resolveProfile(comps.data as Record<string, unknown>) : undefined;
  let allIdsKnown = true;
  const unknownPrefixes: string[] = [];

  nodes.forEach((node, i) => {
    if (!isRecord(node) || typeof node['id'] !== 'string') {
      allIdsKnown = false;
      return;
    }
    const id = node['id'];
    const first = declared.get(id);
    if (first !== undefined)
      issues.push({
        code: 'topology.duplicate-id',
        path: ['nodes', i, 'id'],
        message: `duplicate id "${id}" (first at nodes[${first}])`,
      });
    else declared.set(id, i);
  });
  nodes.forEach((node, i) => {
    if (!isRecord(node) || typeof node['id'] !== 'string' || node['kind'] !== 'host') return;
    const host = node['id'];
    if (declared.get(host) !== i) return;
    for (const kind of ['gpu', 'nic'] as const) {
      const raw = node[`${kind}s`];
      // Explicit files cable every NIC by hand, so a host has none unless it says `nics:`.
      const fallback = kind === 'nic' ? 0 : profile?.gpusPerHost;
      const count = raw === undefined ? fallback : isCount(raw) ? raw : undefined;
      if (count === undefined) {
        unknownPrefixes.push(`${host}.${kind}`);
        continue;
      }
      for (let n = 0; n < count; n++) {
        const did = `${host}.${kind}${n}`;
        const clash = declared.get(did);
        if (clash !== undefined) {
          issues.push({
            code: 'topology.duplicate-id',
            path: ['nodes', clash, 'id'],
            message: `id "${did}" is taken by ${kind.toUpperCase()} ${n} of host ${host} (nodes[${i}]), which podsim creates; rename this node`,
          });
        } else derived.set(did, { host, hostIndex: i, kind, n });
      }
    }
  });

  const known = [...declared.keys(), ...derived.keys()];
  const firstLink = new Map<string, number>();
  links.forEach((link, j) => {
    if (!isRecord(link)) return;
    const a = link['a'];
    const b = link['b'];
    for (const [end, ref] of [
      ['a', a],
      ['b', b],
    ] as const) {
      if (typeof ref !== 'string' || ref === '' || declared.has(ref) || derived.has(ref)) continue;
      if (!allIdsKnown || unknownPrefixes.some((p) => ref.startsWith(p))) continue;
      issues.push({
        code: 'topology.unknown-node',
        path: ['links', j, end],
        message: `unknown node "${ref}"${suggestion(ref, known)}`,
      });
    }
    if (typeof a !== 'string' || typeof b !== 'string') return;
    if (a === b) {
      issues.push({
        code: 'topology.self-link',
        path: ['links', j, 'b'],
        message: `a link cannot join "${a}" to itself`,
      });
      return;
    }
    const id = link['id'];
    if (typeof id === 'string' && id !== linkId(a, b) && id !== linkId(b, a)) {
      issues.push({
        code: 'input.link-id',
        path: ['links', j, 'id'],
        message: `link ids are "<a>--<b>": expected "${linkId(a, b)}" (or "${linkId(b, a)}"), got ${show(id)}; remove \`id\` to use the default`,
      });
    }
    const da = derived.get(a);
    const db = derived.get(b);
    if ((da !== undefined && da.host === b) || (db !== undefined && db.host === a)) {
      issues.push({
        code: 'topology.duplicate-link',
        path: ['links', j],
        message: `${a} and ${b} are already joined by the host-internal PCIe link podsim creates for the host's ${(da ?? db)?.kind.toUpperCase()}s`,
      });
      return;
    }
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    const first = firstLink.get(key);
    if (first !== undefined)
      issues.push({
        code: 'topology.duplicate-link',
        path: ['links', j],
        message: `duplicate link between ${a} and ${b} (first at links[${first}]); two cables between the same pair are one link with more lanes`,
      });
    else firstLink.set(key, j);
  });
  return { issues, ids: { declared, derived } };
}

const heightOf = (node: FileNode): number =>
  node.kind === 'host'
    ? HEIGHT_U.host
    : node.kind === 'cxl-switch'
      ? HEIGHT_U.cxlSwitch
      : node.kind === 'tor'
        ? HEIGHT_U.tor
        : node.kind === 'spine'
          ? HEIGHT_U.spine
          : HEIGHT_U.device;

/**
 * Placements for every node: `slot` given → (rack ?? 0, slot); otherwise the next free slot in
 * file order above everything already placed in the rack — in the given `rack` (an issue when it
 * is full), or, with no `rack`, filling racks from 0 upwards like the generators' RackAllocator.
 */
function place(
  nodes: readonly FileNode[],
  heightU: number,
): { placements: Placement[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const top = new Map<number, number>();
  const placements: (Placement | undefined)[] = nodes.map((n, i) => {
    if (n.slot === undefined) return undefined;
    const rack = n.rack ?? 0;
    const h = heightOf(n);
    if (n.slot + h > heightU)
      issues.push({
        code: 'topology.bad-placement',
        path: ['nodes', i, 'slot'],
        message: `a ${h}U ${n.kind} at slot ${n.slot} does not fit a ${heightU}U rack (slots 0–${heightU - h})`,
      });
    top.set(rack, Math.max(top.get(rack) ?? 0, n.slot + h));
    return { rack, slotU: n.slot };
  });
  let autoRack = 0;
  nodes.forEach((n, i) => {
    if (placements[i] !== undefined) return;
    const h = heightOf(n);
    let rack = n.rack ?? autoRack;
    if (n.rack === undefined) {
      while ((top.get(rack) ?? 0) + h > heightU) rack++;
      autoRack = rack;
    } else if ((top.get(rack) ?? 0) + h > heightU) {
      issues.push({
        code: 'topology.rack-full',
        path: ['nodes', i, 'rack'],
        message: `rack ${rack} is full (${heightU}U) when this ${h}U ${n.kind} comes to be placed: give it another rack or a slot, or raise layout.heightU`,
      });
    }
    const slotU = top.get(rack) ?? 0;
    top.set(rack, slotU + h);
    placements[i] = { rack, slotU };
  });
  return { placements: placements as Placement[], issues };
}

/** Copies only the defined fields (exactOptionalPropertyTypes: absent ≠ undefined). */
function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function buildExplicit(data: Readonly<Record<string, unknown>>, file: string): TopologyGraph {
  const parsed = explicitFileSchema.safeParse(data, { reportInput: true });
  const refs = crossReferences(data);
  const schemaIssues = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  if (!parsed.success || refs.issues.length > 0) {
    const all = [...schemaIssues, ...refs.issues].sort(byPath);
    throw schemaIssues.length > 0 ? new InputError(all, file) : new TopologyError(all, file);
  }
  const f: ExplicitFile = parsed.data;
  const components = resolveProfile(f.components as Record<string, unknown> | undefined);
  const heightU = f.layout?.heightU ?? DEFAULT_LAYOUT.heightU;
  const rackPitchM: Metres = f.layout?.rackPitch ?? DEFAULT_LAYOUT.rackPitchM;
  const { placements, issues: placeIssues } = place(f.nodes, heightU);
  if (placeIssues.length > 0) throw new TopologyError(placeIssues.sort(byPath), file);

  const b = new TopologyBuilder({
    name: f.name ?? stem(file),
    family: 'custom',
    description: f.description ?? `explicit topology from ${basename(file)}`,
    components,
    layout: { heightU, rackPitchM },
  });
  f.nodes.forEach((n: FileNode, i) => {
    const placement = placements[i] as Placement;
    switch (n.kind) {
      case 'host':
        b.addHost(n.id, {
          placement,
          ...defined({
            sockets: n.sockets,
            cxlPorts: n.cxlPorts,
            cxlPortLanes: n.cxlPortLanes,
            localDramBytes: n.localDram,
            gpus: n.gpus,
            island: n.island,
          }),
          nics: n.nics ?? 0,
        });
        break;
      case 'mhd':
      case 'memory-device': {
        const o = {
          placement,
          ...defined({
            ports: n.ports,
            capacityBytes: n.capacity,
            mediaBandwidthBytesPerNs: n.mediaBandwidth,
            controllerLatencyNs: n.controllerLatency,
            mediaLatencyNs: n.mediaLatency,
          }),
        };
        if (n.kind === 'mhd') b.addMhd(n.id, o);
        else b.addMemoryDevice(n.id, o);
        break;
      }
      case 'cxl-switch':
        b.addCxlSwitch(n.id, {
          placement,
          ...defined({ ports: n.ports, traversalLatencyNs: n.traversalLatency }),
        });
        break;
      case 'tor':
      case 'spine': {
        const o = { placement, ...defined({ ports: n.ports, latencyNs: n.latency }) };
        if (n.kind === 'tor') b.addTor(n.id, o);
        else b.addSpine(n.id, o);
        break;
      }
    }
  });
  const linkIndex = new Map<string, { index: number; link: FileLink }>();
  f.links.forEach((l: FileLink, j) => {
    // A given id "b--a" names the link the other way round: build it in that order.
    const [a, z] = l.id !== undefined && l.id === linkId(l.b, l.a) ? [l.b, l.a] : [l.a, l.b];
    linkIndex.set(linkId(a, z), { index: j, link: l });
    if (l.kind === 'cxl')
      b.connectCxl(
        a,
        z,
        defined({
          generation: l.generation,
          lanes: l.lanes,
          lengthM: l.length,
          retimers: l.retimers,
        }),
      );
    else
      b.connectNetwork(
        a,
        z,
        defined({ protocol: l.protocol, bandwidthBytesPerNs: l.rate, lengthM: l.length }),
      );
  });
  const graph = b.build();

  const problems = validateTopology(graph);
  if (problems.length > 0)
    throw new TopologyError(
      problems.map((p) => locate(p, f, refs.ids, linkIndex, graph)).sort(byPath),
      file,
    );
  return graph;
}

/** Maps a validation issue's subject and field to a path in the explicit file. */
function locate(
  p: TopologyIssue,
  f: ExplicitFile,
  ids: IdIndex,
  links: Map<string, { index: number; link: FileLink }>,
  graph: TopologyGraph,
): Issue {
  const base = { code: p.code, message: p.message };
  if ('node' in p.subject) {
    const id = p.subject.node;
    const i = ids.declared.get(id);
    if (i !== undefined) {
      const node = f.nodes[i];
      const field = p.field === 'ports' && node?.kind === 'host' ? 'cxlPorts' : p.field;
      return { ...base, path: field === undefined ? ['nodes', i] : ['nodes', i, field] };
    }
    const d = ids.derived.get(id);
    if (d !== undefined)
      return {
        ...base,
        path: ['nodes', d.hostIndex, `${d.kind}s`],
        message: `${id}: ${p.message}`,
      };
    return { ...base, path: ['nodes'], message: `${id}: ${p.message}` };
  }
  if ('link' in p.subject) {
    const id = p.subject.link;
    const entry = links.get(id);
    if (entry !== undefined) {
      const field =
        p.field === 'bandwidth' ? (entry.link.kind === 'cxl' ? 'lanes' : 'rate') : p.field;
      return {
        ...base,
        path: field === undefined ? ['links', entry.index] : ['links', entry.index, field],
      };
    }
    // A host-internal PCIe link: point at the host's gpus/nics count.
    if (graph.hasEdge(id)) {
      for (const end of graph.extremities(id)) {
        const d = ids.derived.get(end);
        if (d !== undefined)
          return {
            ...base,
            path: ['nodes', d.hostIndex, `${d.kind}s`],
            message: `${id}: ${p.message}`,
          };
      }
    }
    return { ...base, path: ['links'], message: `${id}: ${p.message}` };
  }
  return { ...base, path: [] };
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Parses a topology file's text (YAML, or JSON, which is YAML) into a validated graph.
 * @param text the file's contents
 * @param file the name to report problems against (and the default topology name, from its stem)
 * @throws InputError (syntax, schema, units), TopologyError (references, ports, reach,
 *   connectivity) or GeneratorError (parameters a generator cannot build) — every problem at
 *   once, each message starting with `file: path:`
 * @example parseTopologyText('generator: octopus-bibd\nparams: { hostPorts: 4, devicePorts: 4 }\n', 'p13.yaml')
 */
export function parseTopologyText(text: string, file: string): TopologyGraph {
  const data = readYaml(text, file);
  if (!isRecord(data)) {
    throw new InputError(
      [
        {
          code: 'input.type',
          path: [],
          message: `expected a topology (a mapping with \`generator\` or \`nodes\`), got ${show(data)}`,
        },
      ],
      file,
    );
  }
  const hasGenerator = Object.hasOwn(data, 'generator');
  const hasNodes = Object.hasOwn(data, 'nodes');
  if (hasGenerator === hasNodes) {
    throw new InputError(
      [
        {
          code: 'input.form',
          path: [],
          message: hasGenerator
            ? 'has both `generator` and `nodes`: a topology file is either generated (generator + params) or explicit (nodes + links)'
            : `has neither \`generator\` nor \`nodes\`: give \`generator\` + \`params\` (generated) or \`nodes\` + \`links\` (explicit)${Object.hasOwn(data, 'links') ? '; `links` alone is not enough' : ''}`,
        },
      ],
      file,
    );
  }
  return hasGenerator ? buildGenerated(data, file) : buildExplicit(data, file);
}

/** The bundled `topologies/` folder, found from this module's location (works from src/ under tsx and from dist/). */
export const TOPOLOGIES_DIR: string = fileURLToPath(new URL('../../topologies/', import.meta.url));

/**
 * The bundled topology files (`topologies/*.yaml`), sorted by name.
 * @returns name (file stem), absolute file path and the file's `description`
 */
export function listPresets(): { name: string; file: string; description: string }[] {
  return listBundled(TOPOLOGIES_DIR, 'topologies');
}

/**
 * Loads a topology from a file path, or from a bundled preset name (`octopus-96` →
 * `topologies/octopus-96.yaml`). An existing file wins over a preset of the same name.
 * @returns the validated graph and the path that was read (absolute for presets)
 * @throws InputError when neither a file nor a preset has that name (listing the presets), when the
 *   file cannot be read, or anything {@link parseTopologyText} throws
 * @example loadTopology('octopus-96').graph.order
 */
export function loadTopology(fileOrPreset: string): { graph: TopologyGraph; file: string } {
  const { text, path, display } = readFileOrPreset(
    fileOrPreset,
    TOPOLOGIES_DIR,
    'topologies',
    'topology',
  );
  return { graph: parseTopologyText(text, display), file: path };
}

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
