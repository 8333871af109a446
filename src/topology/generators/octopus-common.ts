/**
 * Turns an Octopus incidence structure (which hosts each MHD serves) into a placed topology:
 * hosts in index order fill racks bottom-up, and each device is placed right after the host at
 * the median of its hosts, so a device sits among the hosts it serves and cables stay short.
 * The builder derives cable lengths and declares retimers where a cable outruns copper reach.
 */
import { DEFAULT_COMPONENTS } from '../defaults.ts';
import { refuseNics } from './options.ts';
import { TopologyBuilder } from '../builder.ts';
import { HEIGHT_U, RackAllocator } from '../layout.ts';
import type { TopologyGraph } from '../types.ts';
import type { GenerateOptions } from './types.ts';

/** An Octopus pod before placement. */
export interface OctopusIncidence {
  readonly hosts: number;
  /** `devices[d]` lists the host indices cabled to MHD d. */
  readonly devices: readonly (readonly number[])[];
  /** Island of each host, for island pods. */
  readonly islandOf?: readonly number[];
}

/** Builds the graph of an Octopus pod: hosts `h<i>`, MHDs `d<j>` with `devicePorts` ports. */
export function assembleOctopus(
  incidence: OctopusIncidence,
  shape: { hostPorts: number; devicePorts: number },
  meta: {
    name: string;
    description: string;
    generator: { name: string; params: Readonly<Record<string, unknown>> };
  },
  options: GenerateOptions = {},
): TopologyGraph {
  refuseNics(meta.generator.name, options);
  const components = options.components ?? DEFAULT_COMPONENTS;
  const b = new TopologyBuilder({
    name: options.name ?? meta.name,
    family: 'octopus',
    description: meta.description,
    generator: meta.generator,
    components,
  });
  const racks = new RackAllocator(42);
  // Device d goes right after host median(d): group device indices by that host.
  const after: number[][] = Array.from({ length: incidence.hosts }, () => []);
  incidence.devices.forEach((hosts, d) => {
    const median = hosts[Math.floor((hosts.length - 1) / 2)] ?? 0;
    after[median]?.push(d);
  });
  const cxlPorts = Math.max(shape.hostPorts, components.hostCxlPorts);
  for (let h = 0; h < incidence.hosts; h++) {
    const island = incidence.islandOf?.[h];
    b.addHost(`h${h}`, {
      placement: racks.place(HEIGHT_U.host),
      cxlPorts,
      gpus: options.gpusPerHost ?? components.gpusPerHost,
      nics: 0,
      ...(island === undefined ? {} : { island }),
    });
    for (const d of after[h] ?? [])
      b.addMhd(`d${d}`, { placement: racks.place(HEIGHT_U.device), ports: shape.devicePorts });
  }
  incidence.devices.forEach((hosts, d) => {
    for (const h of hosts) b.connectCxl(`h${h}`, `d${d}`);
  });
  return b.build();
}
