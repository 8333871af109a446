/**
 * Prices a topology's bill of materials with a {@link CostCatalogue}: what the pod costs in
 * total, per host, and how much of it is *fabric* — everything that is not a server, a GPU or
 * host DRAM (MHDs, memory devices with their DRAM, CXL switches, CXL cables, retimers, NICs,
 * ToRs, spines, network cables). Octopus's structure (docs/references.md §1): pod cost = MHDs + cables
 * (+ retimers) + switches; pooling savings (DRAM not bought) are weighed against that fabric cost
 * elsewhere in this layer.
 *
 * Everything is counted from the graph — node kinds, port counts, capacities, cable lengths,
 * retimers on CXL links, NIC rates — never parsed back from bill-of-materials strings. Switches
 * and devices are priced by the ports they have, not the ports in use (that is what is bought).
 * Host-internal PCIe links are part of the server and not priced separately.
 *
 * Server classes (docs/costs.md §1): a host with at least one GPU is a GPU server
 * (`serverBaseUsd`, line `server`); a host with none is a general-purpose cloud server
 * (`generalServerBaseUsd`, line `general-purpose server`), where DRAM is about half the bill.
 */
import { InputError, closest, type Issue } from '../errors/index.ts';
import { GiB, usd, type BytesPerNs, type Usd } from '../units/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import type { CostCatalogue } from './catalogue.ts';

/** What a line of the priced bill of materials is, in output order. */
export type CostLineKind =
  | 'server'
  | 'gpu'
  | 'host-dram'
  | 'mhd'
  | 'mhd-dram'
  | 'memory-device'
  | 'memory-device-dram'
  | 'cxl-switch'
  | 'cxl-cable'
  | 'cxl-cable-length'
  | 'retimer'
  | 'nic'
  | 'tor'
  | 'spine'
  | 'network-cable';

/** Every line kind, in the order lines are listed. */
export const COST_LINE_KINDS: readonly CostLineKind[] = Object.freeze([
  'server',
  'gpu',
  'host-dram',
  'mhd',
  'mhd-dram',
  'memory-device',
  'memory-device-dram',
  'cxl-switch',
  'cxl-cable',
  'cxl-cable-length',
  'retimer',
  'nic',
  'tor',
  'spine',
  'network-cable',
]);

/** Line kinds that are host equipment (not fabric): servers, GPUs, host DRAM. */
export const HOST_LINE_KINDS: ReadonlySet<CostLineKind> = new Set<CostLineKind>([
  'server',
  'gpu',
  'host-dram',
]);

/** One priced line: `count × unitUsd = totalUsd`. */
export interface CostLine {
  readonly kind: CostLineKind;
  /** Human label, e.g. `server`, `general-purpose server`, `MHD 4-port`, `MHD DRAM 256 GiB`, `RDMA NIC 400 Gb/s`. */
  readonly item: string;
  /** How many; for `cxl-cable-length` the total cable length in metres (may be fractional). */
  readonly count: number;
  readonly unitUsd: Usd;
  readonly totalUsd: Usd;
  /** False for host equipment (server, GPU, host DRAM), true for everything else. */
  readonly fabric: boolean;
}

/** A priced topology. */
export interface TopologyPrice {
  /** Topology name. */
  readonly name: string;
  readonly hosts: number;
  readonly totalUsd: Usd;
  /** `totalUsd / hosts`. */
  readonly perHostUsd: Usd;
  /** Servers (GPU and general-purpose), GPUs and host DRAM. */
  readonly hostEquipmentUsd: Usd;
  /** Everything else: MHDs, memory devices and their DRAM, switches, cables, retimers, NICs, ToRs, spines. */
  readonly fabricUsd: Usd;
  /** `fabricUsd / hosts`. */
  readonly fabricPerHostUsd: Usd;
  /** Lines in {@link COST_LINE_KINDS} order, then by size (ports, capacity, rate), then by label. */
  readonly lines: readonly CostLine[];
}

/**
 * Price of one MHD without its DRAM: `mhdBaseUsd + mhdUsdPerPort × ports^mhdPortExponent`
 * (Octopus: device cost grows with port count, docs/references.md §1).
 * @param ports - host-facing ports of the device (Octopus's N).
 */
export function mhdDeviceUsd(catalogue: CostCatalogue, ports: number): Usd {
  return usd(catalogue.mhdBaseUsd + catalogue.mhdUsdPerPort * ports ** catalogue.mhdPortExponent);
}

/**
 * Price of one RDMA NIC of the given line rate: `nicUsdPer100Gbps × rate / (100 Gb/s)`.
 * @param rate - line rate in bytes/ns (25 B/ns = 200 Gb/s).
 */
export function nicUsd(catalogue: CostCatalogue, rate: BytesPerNs): Usd {
  return usd((catalogue.nicUsdPer100Gbps * rateGbps(rate)) / 100);
}

/** Bytes/ns → Gb/s (1 B/ns = 1 GB/s = 8 Gb/s). */
function rateGbps(rate: BytesPerNs): number {
  return Number((rate * 8).toPrecision(12));
}

/** Capacity label in GiB without float noise. */
function gib(capacityBytes: number): number {
  return Number((capacityBytes / GiB).toPrecision(12));
}

/** Accumulates lines keyed by kind + exact size parameter. */
class LineBook {
  private readonly lines = new Map<
    string,
    { kind: CostLineKind; item: string; size: number; count: number; unitUsd: number }
  >();

  add(kind: CostLineKind, item: string, size: number, unitUsd: number, count = 1): void {
    const key = `${kind}\u0000${size}\u0000${item}`;
    const line = this.lines.get(key);
    if (line === undefined) this.lines.set(key, { kind, item, size, count, unitUsd });
    else line.count += count;
  }

  finish(): CostLine[] {
    const order = new Map(COST_LINE_KINDS.map((k, i) => [k, i]));
    return [...this.lines.values()]
      .sort(
        (a, b) =>
          (order.get(a.kind) ?? 0) - (order.get(b.kind) ?? 0) ||
          a.size - b.size ||
          (a.item < b.item ? -1 : a.item > b.item ? 1 : 0),
      )
      .map((l) => {
        const count = Number(l.count.toPrecision(12));
        return Object.freeze({
          kind: l.kind,
          item: l.item,
          count,
          unitUsd: usd(l.unitUsd),
          totalUsd: usd(count * l.unitUsd),
          fabric: !HOST_LINE_KINDS.has(l.kind),
        });
      });
  }
}

/**
 * Prices `graph` with `catalogue`. Pure; does not mutate the graph.
 * @returns totals in USD, per host and split into host equipment and fabric, with the lines.
 * @throws InputError `cost.unknown-gpu` (path `gpu.<model>`, with the closest priced model) when a
 *   GPU model has no price; `cost.no-hosts` when the topology has no host (per-host cost undefined).
 * @example priceTopology(generate('full-pod', { hosts: 3, devices: 1 }), DEFAULT_COST_CATALOGUE).fabricPerHostUsd
 */
export function priceTopology(graph: TopologyGraph, catalogue: CostCatalogue): TopologyPrice {
  const book = new LineBook();
  const gpuPrices = new Map(
    Object.entries(catalogue.gpuUsd).map(([model, price]) => [model.toLowerCase(), price]),
  );
  const missingGpus = new Map<string, number>();
  const gpuHosts = new Set<string>();
  graph.forEachNode((_id, a) => {
    if (a.kind === 'gpu') gpuHosts.add(a.host);
  });
  const hosts = priceNodes(graph, catalogue, book, { gpuPrices, gpuHosts, missingGpus });
  priceCables(graph, catalogue, book);
  const name = graph.getAttribute('name');
  requirePriced(name, catalogue, missingGpus, hosts);
  const lines = book.finish();
  let host = 0;
  let fabric = 0;
  for (const l of lines) {
    if (l.fabric) fabric += l.totalUsd;
    else host += l.totalUsd;
  }
  const total = host + fabric;
  return Object.freeze({
    name,
    hosts,
    totalUsd: usd(total),
    perHostUsd: usd(total / hosts),
    hostEquipmentUsd: usd(host),
    fabricUsd: usd(fabric),
    fabricPerHostUsd: usd(fabric / hosts),
    lines: Object.freeze(lines),
  });
}

/** What {@link priceNodes} needs about GPUs: prices by lower-case model, hosts that have one, and a tally of unpriced models. */
interface GpuBook {
  readonly gpuPrices: ReadonlyMap<string, Usd>;
  readonly gpuHosts: ReadonlySet<string>;
  readonly missingGpus: Map<string, number>;
}

/**
 * Adds every node's equipment to the book; GPUs without a price are counted in `missingGpus`.
 * @returns the number of hosts
 */
function priceNodes(
  graph: TopologyGraph,
  catalogue: CostCatalogue,
  book: LineBook,
  { gpuPrices, gpuHosts, missingGpus }: GpuBook,
): number {
  let hosts = 0;
  graph.forEachNode((id, a) => {
    switch (a.kind) {
      case 'host':
        hosts++;
        if (gpuHosts.has(id)) book.add('server', 'server', 0, catalogue.serverBaseUsd);
        else book.add('server', 'general-purpose server', 0, catalogue.generalServerBaseUsd);
        book.add(
          'host-dram',
          `host DRAM ${gib(a.localDramBytes)} GiB`,
          a.localDramBytes,
          gib(a.localDramBytes) * catalogue.dramUsdPerGiB,
        );
        break;
      case 'gpu': {
        const price = gpuPrices.get(a.model.toLowerCase());
        if (price === undefined) missingGpus.set(a.model, (missingGpus.get(a.model) ?? 0) + 1);
        else book.add('gpu', `GPU ${a.model}`, 0, price);
        break;
      }
      case 'nic':
        book.add(
          'nic',
          `RDMA NIC ${rateGbps(a.rateBytesPerNs)} Gb/s`,
          a.rateBytesPerNs,
          nicUsd(catalogue, a.rateBytesPerNs),
        );
        break;
      case 'mhd':
        book.add('mhd', `MHD ${a.ports}-port`, a.ports, mhdDeviceUsd(catalogue, a.ports));
        book.add(
          'mhd-dram',
          `MHD DRAM ${gib(a.capacityBytes)} GiB`,
          a.capacityBytes,
          gib(a.capacityBytes) * catalogue.dramUsdPerGiB,
        );
        break;
      case 'memory-device':
        book.add('memory-device', 'CXL memory device', 0, catalogue.memoryDeviceUsd);
        book.add(
          'memory-device-dram',
          `memory device DRAM ${gib(a.capacityBytes)} GiB`,
          a.capacityBytes,
          gib(a.capacityBytes) * catalogue.dramUsdPerGiB,
        );
        break;
      case 'cxl-switch':
        book.add(
          'cxl-switch',
          `CXL switch ${a.ports}-port`,
          a.ports,
          a.ports * catalogue.cxlSwitchUsdPerPort,
        );
        break;
      case 'tor':
        book.add('tor', `ToR switch ${a.ports}-port`, a.ports, a.ports * catalogue.torUsdPerPort);
        break;
      case 'spine':
        book.add(
          'spine',
          `spine switch ${a.ports}-port`,
          a.ports,
          a.ports * catalogue.spineUsdPerPort,
        );
        break;
    }
  });
  return hosts;
}

/** Adds every cable (and CXL retimer) to the book; host-internal PCIe is part of the server. */
function priceCables(graph: TopologyGraph, catalogue: CostCatalogue, book: LineBook): void {
  graph.forEachEdge((_id, l) => {
    switch (l.kind) {
      case 'cxl':
        book.add('cxl-cable', 'CXL cable', 0, catalogue.cxlCableBaseUsd);
        book.add(
          'cxl-cable-length',
          'CXL cable length (m)',
          0,
          catalogue.cxlCableUsdPerM,
          l.lengthM,
        );
        if (l.retimers > 0) book.add('retimer', 'CXL retimer', 0, catalogue.retimerUsd, l.retimers);
        break;
      case 'network':
        book.add('network-cable', 'network cable', 0, catalogue.networkCableUsd);
        break;
      case 'pcie':
      case 'c2c':
        break; // host-internal: part of the server
    }
  });
}

/**
 * Checks that every GPU model has a price and that there is a host to divide by.
 * @throws InputError `cost.unknown-gpu` per GPU model without a price, `cost.no-hosts` without hosts
 */
function requirePriced(
  name: string,
  catalogue: CostCatalogue,
  missingGpus: ReadonlyMap<string, number>,
  hosts: number,
): void {
  const issues: Issue[] = [];
  const priced = Object.keys(catalogue.gpuUsd);
  for (const [model, count] of missingGpus) {
    const near = closest(model, priced);
    issues.push({
      code: 'cost.unknown-gpu',
      path: ['gpu', model],
      message: `no price for GPU model "${model}" (${count} in topology ${name})${near === undefined ? '' : `; did you mean "${near}"?`}; priced models: ${priced.join(', ')}; add one with gpu: { "${model}": "$…" }`,
    });
  }
  if (hosts === 0)
    issues.push({
      code: 'cost.no-hosts',
      path: [],
      message: `topology ${name} has no host: cost per host is undefined`,
    });
  if (issues.length > 0) throw new InputError(issues);
}
