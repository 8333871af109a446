/**
 * `switched-cxl`: hosts → CXL switches → single-headed memory devices (reference.md §1–2: the
 * design Octopus compares against). Wiring: S switches, each switch gets `hostLinks`·hosts/S
 * host links and devices/S devices; host h's k-th link goes to switch (h·hostLinks + k) mod S.
 * When a host does not reach every switch (hostLinks < S), switches are joined in a ring of
 * inter-switch links so every host still reaches every device (each extra hop is another switch
 * pass). S = ⌈(hosts·hostLinks + devices) / (switchPorts − 2)⌉ (two ports per switch reserved for
 * the ring when S > 1).
 */
import { GeneratorError } from '../../errors/index.ts';
import { DEFAULT_COMPONENTS } from '../defaults.ts';
import { TopologyBuilder } from '../builder.ts';
import { HEIGHT_U, RackAllocator } from '../layout.ts';
import type { Generator, SwitchedCxlParams } from './types.ts';

/** Number of switches for the parameters (see file header). */
export function switchCount(p: SwitchedCxlParams): number {
  const endpoints = p.hosts * p.hostLinks + p.devices;
  if (endpoints <= p.switchPorts) return 1;
  return Math.ceil(endpoints / (p.switchPorts - 2));
}

/** The `switched-cxl` generator. */
export const switchedCxl: Generator<SwitchedCxlParams> = {
  name: 'switched-cxl',
  family: 'switched-cxl',
  summary: 'hosts → CXL switches → single-headed memory devices; switches sized from their port count and joined in a ring when hosts do not reach them all',
  generate(params, options = {}) {
    const issues = [];
    if (params.hosts < 1) issues.push({ code: 'generator.out-of-range', path: ['params', 'hosts'], message: `hosts ${params.hosts}: need at least 1` });
    if (params.devices < 1) issues.push({ code: 'generator.out-of-range', path: ['params', 'devices'], message: `devices ${params.devices}: need at least 1` });
    if (params.switchPorts < 4) issues.push({ code: 'generator.out-of-range', path: ['params', 'switchPorts'], message: `switchPorts ${params.switchPorts}: a switch needs at least 4 ports` });
    if (params.hostLinks < 1) issues.push({ code: 'generator.out-of-range', path: ['params', 'hostLinks'], message: `hostLinks ${params.hostLinks}: each host needs at least 1 CXL link` });
    if (issues.length > 0) throw new GeneratorError(issues);
    const S = switchCount(params);
    const components = options.components ?? DEFAULT_COMPONENTS;
    const b = new TopologyBuilder({
      name: options.name ?? `switched-cxl-${params.hosts}`,
      family: 'switched-cxl',
      description: `Switched CXL pool: ${params.hosts} hosts × ${params.hostLinks} links → ${S} ${params.switchPorts}-port CXL switch${S > 1 ? 'es (ring-connected)' : ''} → ${params.devices} memory devices`,
      generator: { name: 'switched-cxl', params: { ...params } },
      components,
    });
    const racks = new RackAllocator(42);
    // Switches and devices in a middle rack position: first half of hosts, switches, devices, rest of hosts.
    const half = Math.ceil(params.hosts / 2);
    const addHost = (h: number): void => {
      b.addHost(`h${h}`, { placement: racks.place(HEIGHT_U.host), cxlPorts: Math.max(params.hostLinks, components.hostCxlPorts), gpus: options.gpusPerHost ?? components.gpusPerHost, nics: options.nicsPerHost ?? 0 });
    };
    for (let h = 0; h < half; h++) addHost(h);
    for (let s = 0; s < S; s++) b.addCxlSwitch(`sw${s}`, { placement: racks.place(HEIGHT_U.cxlSwitch), ports: params.switchPorts });
    for (let d = 0; d < params.devices; d++) b.addMemoryDevice(`md${d}`, { placement: racks.place(HEIGHT_U.device) });
    for (let h = half; h < params.hosts; h++) addHost(h);
    for (let h = 0; h < params.hosts; h++)
      for (let k = 0; k < params.hostLinks; k++) {
        const s = (h * params.hostLinks + k) % S;
        if (b.hasLink(`h${h}`, `sw${s}`)) continue;
        b.connectCxl(`h${h}`, `sw${s}`);
      }
    for (let d = 0; d < params.devices; d++) {
      const s = d % S;
      b.connectCxl(`sw${s}`, `md${d}`);
    }
    if (S > 1 && params.hostLinks < S) for (let s = 0; s < S; s++) if (S > 2 || s === 0) b.connectCxl(`sw${s}`, `sw${(s + 1) % S}`, { lanes: 16 });
    return b.build();
  },
};
