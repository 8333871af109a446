/**
 * `full-pod`: the conventional small CXL pod — every host cabled to every memory device
 * (docs/references.md §1: "conventional pods connect every host to every pooling device"). Device
 * port count = hosts and host CXL ports ≥ devices, so only small pods are buildable.
 */
import { GeneratorError } from '../../errors/index.ts';
import { DEFAULT_COMPONENTS } from '../defaults.ts';
import { refuseNics } from './options.ts';
import { TopologyBuilder } from '../builder.ts';
import { HEIGHT_U, RackAllocator } from '../layout.ts';
import type { FullPodParams, Generator } from './types.ts';

/** Largest port count of a full-pod MHD or host CXL port count podsim builds (estimate: 16-port MHDs are the largest discussed). */
export const FULL_POD_MAX_PORTS = 16;

/** The `full-pod` generator. */
export const fullPod: Generator<FullPodParams> = {
  name: 'full-pod',
  family: 'full-pod',
  summary: `every host cabled to every MHD (small pods: ≤ ${FULL_POD_MAX_PORTS} hosts and devices); every pair of hosts shares every device`,
  generate(params, options = {}) {
    const issues = [];
    if (params.hosts < 2 || params.hosts > FULL_POD_MAX_PORTS)
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'hosts'],
        message: `hosts ${params.hosts}: a full pod needs 2–${FULL_POD_MAX_PORTS} hosts (each MHD has one port per host)`,
      });
    if (params.devices < 1 || params.devices > FULL_POD_MAX_PORTS)
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'devices'],
        message: `devices ${params.devices}: a full pod needs 1–${FULL_POD_MAX_PORTS} devices (each host has one CXL port per device)`,
      });
    if (issues.length > 0) throw new GeneratorError(issues);
    refuseNics('full-pod', options);
    const components = options.components ?? DEFAULT_COMPONENTS;
    const b = new TopologyBuilder({
      name: options.name ?? `full-pod-${params.hosts}x${params.devices}`,
      family: 'full-pod',
      description: `Full CXL pod: ${params.hosts} hosts each cabled to all ${params.devices} ${params.hosts}-port MHDs`,
      generator: { name: 'full-pod', params: { ...params } },
      components,
    });
    const racks = new RackAllocator(42);
    // Devices in the middle of the hosts keep every cable short.
    const half = Math.ceil(params.hosts / 2);
    const addHost = (h: number): void => {
      b.addHost(`h${h}`, {
        placement: racks.place(HEIGHT_U.host),
        cxlPorts: Math.max(params.devices, components.hostCxlPorts),
        gpus: options.gpusPerHost ?? components.gpusPerHost,
        nics: 0,
      });
    };
    for (let h = 0; h < half; h++) addHost(h);
    for (let d = 0; d < params.devices; d++)
      b.addMhd(`d${d}`, { placement: racks.place(HEIGHT_U.device), ports: params.hosts });
    for (let h = half; h < params.hosts; h++) addHost(h);
    for (let d = 0; d < params.devices; d++)
      for (let h = 0; h < params.hosts; h++) b.connectCxl(`h${h}`, `d${d}`);
    return b.build();
  },
};
