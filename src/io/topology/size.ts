/**
 * The size of a topology before it is built (docs/limits.md): hosts, memory devices and graph
 * links of a generator's parameters in closed form (a block design of order q has q² + q + 1
 * hosts; a hybrid is pods × its pod), or counted in an explicit file's raw `nodes` and `links`,
 * checked against LIMITS.hosts, LIMITS.devices and LIMITS.links so an absurd size is refused in
 * milliseconds instead of running for minutes.
 */
import { LimitError, type Issue } from '../../errors/index.ts';
import { LIMITS } from '../../errors/limits.ts';
import type { ComponentProfile } from '../../topology/defaults.ts';

/** What a topology will hold: hosts, memory devices and graph links (each may be a lower bound). */
export interface TopologySize {
  readonly hosts: number;
  readonly devices: number;
  readonly links: number;
}

type Params = Readonly<Record<string, unknown>>;
const num = (p: Params, k: string): number => {
  const v = p[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
};

/** Size of an Octopus pod (bibd, islands or sparse): X CXL ports per host, N per device. */
function octopusSize(generator: string, p: Params): TopologySize {
  const x = num(p, 'hostPorts');
  const n = Math.max(1, num(p, 'devicePorts'));
  const hosts = generator === 'octopus-bibd' ? x * (n - 1) + 1 : num(p, 'hosts');
  return { hosts, devices: Math.ceil((hosts * x) / n), links: hosts * x };
}

/**
 * The size `generator` builds from already schema-checked `params` (closed forms that mirror
 * src/topology/generators/*; the switched pod's switches are left out, so it is a lower bound).
 */
export function generatedSize(
  generator: string,
  p: Params,
  components: ComponentProfile,
  nicsPerHost: number | undefined,
): TopologySize {
  const nics = nicsPerHost ?? components.nicsPerHost;
  switch (generator) {
    case 'full-pod':
      return {
        hosts: num(p, 'hosts'),
        devices: num(p, 'devices'),
        links: num(p, 'hosts') * num(p, 'devices'),
      };
    case 'switched-cxl':
      return {
        hosts: num(p, 'hosts'),
        devices: num(p, 'devices'),
        links: num(p, 'hosts') * num(p, 'hostLinks') + num(p, 'devices'),
      };
    case 'rdma-rack': {
      const hosts = num(p, 'hosts');
      const racks = Math.max(1, num(p, 'racks'));
      const uplinks = racks > 1 ? Math.ceil(hosts / racks) * nics : 0;
      const spines = racks > 1 ? Math.ceil((uplinks * racks) / components.torPorts) : 0;
      // One graph link per ToR–spine pair: 10,000 racks × 157 spines is 1.6 M links.
      return { hosts, devices: 0, links: hosts * nics + racks * spines };
    }
    case 'hybrid': {
      const pod = (p['pod'] ?? {}) as Params;
      const one = octopusSize(String(pod['generator']), (pod['params'] ?? {}) as Params);
      const pods = num(p, 'pods');
      return {
        hosts: pods * one.hosts,
        devices: pods * one.devices,
        links: pods * (one.links + one.hosts * nics),
      };
    }
    default:
      return octopusSize(generator, p);
  }
}

/** The hosts, devices and links an explicit file declares (raw data: counted before its schema runs). */
export function explicitSize(data: Readonly<Record<string, unknown>>): TopologySize {
  const nodes = Array.isArray(data['nodes']) ? (data['nodes'] as unknown[]) : [];
  const links = Array.isArray(data['links']) ? data['links'].length : 0;
  let hosts = 0;
  let devices = 0;
  for (const n of nodes) {
    const kind = n !== null && typeof n === 'object' ? (n as Params)['kind'] : undefined;
    if (kind === 'host') hosts++;
    else if (kind === 'mhd' || kind === 'memory-device') devices++;
  }
  return { hosts, devices, links };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/**
 * Refuses a topology past LIMITS.hosts, LIMITS.devices or LIMITS.links, one issue per limit, at
 * `path` (the generator's params, or `nodes`/`links`).
 * @param what how the size arose, for messages (`octopus-bibd with hostPorts 129, devicePorts 129`)
 * @throws LimitError (`limit.hosts`, `limit.devices`, `limit.links`)
 */
export function checkTopologySize(
  size: TopologySize,
  what: string,
  paths: {
    hosts: readonly (string | number)[];
    devices: readonly (string | number)[];
    links: readonly (string | number)[];
  },
  file: string,
): void {
  const issues: Issue[] = [];
  const over = (key: 'hosts' | 'devices' | 'links', noun: string): void => {
    if (size[key] > LIMITS[key])
      issues.push({
        code: `limit.${key}`,
        path: paths[key],
        message: `${what} has ${fmt(size[key])} ${noun}, above the limit of ${fmt(LIMITS[key])} (limit ${key}, docs/limits.md); build a smaller topology`,
      });
  };
  over('hosts', 'hosts');
  over('devices', 'memory devices');
  over('links', 'graph links');
  if (issues.length > 0) throw new LimitError(issues, file);
}
