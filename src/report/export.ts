/**
 * Pure exporters of a topology graph (`podsim topology export <file> --format json|dot|graphml`):
 * each is a `(graph, options) → string` function picked from {@link EXPORTERS} (docs/design.md convention §6); the
 * CLI writes the string. JSON is the machine contract (scripts and the fabric engine's `flows`
 * command read it): every node and link with its attributes in canonical units (ns, bytes,
 * bytes/ns, metres; the unit is in each field's name), each link's one-way latency, and the
 * capacity-limited resources of the flow model (`<linkId>:fwd`, `<linkId>:rev`,
 * `<deviceId>:media`, named by {@link resourceId} and {@link mediaResourceId}). DOT is a picture
 * for Graphviz (shapes per kind, a cluster per rack, GPUs and NICs folded into their host unless
 * asked for). GraphML is for graph tools (Gephi, yEd, networkx): typed `<key>`s, flattened
 * attributes. Every output is deterministic: the same graph gives byte-identical text (graph
 * insertion order, 2-space indent, trailing newline).
 *
 * This module is the exporters' one import: each format lives in its own file (export-json,
 * export-dot, export-graphml), re-exported here with the registry.
 */
import type { TopologyGraph } from '../topology/types.ts';
import { exportDot, type ExportOptions } from './export-dot.ts';
import { exportGraphml } from './export-graphml.ts';
import { exportJson } from './export-json.ts';

export { exportDot, type ExportOptions } from './export-dot.ts';
export { exportGraphml } from './export-graphml.ts';
export {
  exportJson,
  topologyToJson,
  type LinkResourceJson,
  type MediaResourceJson,
  type ResourceJson,
  type TopologyJson,
  type TopologyJsonLink,
  type TopologyJsonNode,
} from './export-json.ts';

/** The export formats, as `--format` spells them. */
export type ExportFormat = 'json' | 'dot' | 'graphml';

/** Every export format in a stable order (for CLI choices and help text). */
export const EXPORT_FORMATS: readonly ExportFormat[] = Object.freeze([
  'json',
  'dot',
  'graphml',
] as const);

/** An exporter: a pure function from a topology graph to the text of one file. */
export type Exporter = (g: TopologyGraph, options?: ExportOptions) => string;

/**
 * Flow-model resource naming, re-exported from the fabric layer so the export and the flow
 * engine cannot drift apart: `resourceId(linkId, 'fwd' | 'rev')` → `"<linkId>:fwd"` (graph
 * source → target) or `"<linkId>:rev"`; `mediaResourceId(deviceId)` → `"<deviceId>:media"`.
 */
export { mediaResourceId, resourceId, type LinkDirection } from '../fabric/resources.ts';

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

/**
 * Every exporter by format, for `podsim topology export --format`. Each takes the graph and
 * optional {@link ExportOptions} (only DOT reads `internals`).
 *
 * @example EXPORTERS[format](graph, { internals: argv.internals })
 */
export const EXPORTERS: Readonly<Record<ExportFormat, Exporter>> = Object.freeze({
  json: (g: TopologyGraph) => exportJson(g),
  dot: (g: TopologyGraph, options?: ExportOptions) => exportDot(g, options),
  graphml: (g: TopologyGraph) => exportGraphml(g),
});
