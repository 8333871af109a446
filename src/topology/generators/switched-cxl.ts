/**
 * `switched-cxl`: hosts → CXL switches → single-headed memory devices (docs/references.md §1–2: the
 * design Octopus compares against). Wiring: S switches, each switch gets `hostLinks`·hosts/S
 * host links and devices/S devices; host h's k-th link goes to switch (h·hostLinks + k) mod S
 * (links of one host to one switch are one cable as wide as all of them). When a host does not reach every switch (hostLinks < S), switches are joined in a ring of
 * inter-switch links so every host still reaches every device (each extra hop is another switch
 * pass). S is the fewest switches, from ⌈(hosts·hostLinks + devices) / switchPorts⌉ up, for which
 * every switch's host links, devices and ring ports (two per switch when S > 2, one when S = 2)
 * fit its ports; each device goes to the switch with most free ports.
 *
 * Equal-bandwidth baseline (docs/costs.md §7): {@link equalBandwidthParams} gives the params of a
 * switched pool with the same CXL bandwidth per host as an Octopus pod — X host links of the
 * host's port width (x8) each, and as many memory devices (same capacity and media bandwidth) as
 * the pod has MHDs — so a plan can compare like with like. The defaults are unchanged.
 */
import { GeneratorError } from '../../errors/index.ts';
import { DEFAULT_COMPONENTS } from '../defaults.ts';
import { refuseNics } from './options.ts';
import { TopologyBuilder } from '../builder.ts';
import { HEIGHT_U, RackAllocator } from '../layout.ts';
import type { Generator, SwitchedCxlParams } from './types.ts';

/** Ports each switch keeps for the inter-switch ring: 2 per switch for S > 2, 1 for S = 2, none for one switch. */
function ringPorts(switches: number, hostLinks: number): number {
  if (switches === 1 || hostLinks >= switches) return 0;
  return switches === 2 ? 1 : 2;
}

/** Widths a CXL link can have, in lanes (PCIe: x1, x2, x4, x8, x16; validate.ts checks the same). */
const LINK_WIDTHS: ReadonlySet<number> = new Set([1, 2, 4, 8, 16]);

/**
 * Wiring for S switches, or undefined when some switch would run out of ports or some host's
 * links to one switch would not make one cable: host h's k-th link goes to switch
 * (h·hostLinks + k) mod S; links of one host that land on one switch (when hostLinks > S) are one
 * cable as wide as all of them, which takes as many switch ports as links it replaces, so a
 * host's CXL bandwidth is always hostLinks × its port width. That cable must be a width a CXL
 * link has (x16 at most): two x16 ports, or three x8 ones, cannot share a switch, so more
 * switches are used instead. Each device goes to the switch with most free ports (ties: lowest
 * index).
 * @param portLanes lanes of one host CXL port (the component profile's `hostCxlPortLanes`)
 */
function wire(
  p: SwitchedCxlParams,
  S: number,
  portLanes: number,
): { hostSwitches: [number, number][][]; deviceSwitch: number[] } | undefined {
  const free = new Array<number>(S).fill(p.switchPorts - ringPorts(S, p.hostLinks));
  const hostSwitches: [number, number][][] = [];
  for (let h = 0; h < p.hosts; h++) {
    const mine = new Map<number, number>();
    for (let k = 0; k < p.hostLinks; k++) {
      const s = (h * p.hostLinks + k) % S;
      mine.set(s, (mine.get(s) ?? 0) + 1);
      free[s] = (free[s] ?? 0) - 1;
    }
    for (const links of mine.values()) if (!LINK_WIDTHS.has(links * portLanes)) return undefined;
    hostSwitches.push([...mine]);
  }
  const deviceSwitch: number[] = [];
  for (let d = 0; d < p.devices; d++) {
    let best = 0;
    for (let s = 1; s < S; s++) if ((free[s] ?? 0) > (free[best] ?? 0)) best = s;
    free[best] = (free[best] ?? 0) - 1;
    deviceSwitch.push(best);
  }
  return free.every((x) => x >= 0) ? { hostSwitches, deviceSwitch } : undefined;
}

/**
 * Number of switches for the parameters: the fewest that can carry every link (see file header).
 * One always exists: from S ≥ hostLinks every host link is its own cable of one port's width.
 * @param portLanes lanes of one host CXL port (default the default profile's)
 */
export function switchCount(
  p: SwitchedCxlParams,
  portLanes: number = DEFAULT_COMPONENTS.hostCxlPortLanes,
): number {
  const endpoints = p.hosts * p.hostLinks + p.devices;
  for (let S = Math.max(1, Math.ceil(endpoints / p.switchPorts)); ; S++)
    if (wire(p, S, portLanes) !== undefined) return S;
}

/**
 * Params of a switched pool with the same CXL bandwidth per host as an Octopus pod of `hosts`
 * hosts with X = `hostPorts` and N = `devicePorts` (docs/costs.md §7): `hostLinks` = X (each link
 * as wide as the host's CXL port, x8 by default, so X × x8 per host either way) and `devices` =
 * ⌈hosts × X / N⌉, the pod's MHD count, so pooled capacity and media bandwidth match too.
 * @param switchPorts - ports per switch (default: the component profile's `cxlSwitchPorts`, 32)
 * @example equalBandwidthParams({ hosts: 96, hostPorts: 8, devicePorts: 4 }) // { hosts: 96, devices: 192, switchPorts: 32, hostLinks: 8 }
 */
export function equalBandwidthParams(
  pod: { readonly hosts: number; readonly hostPorts: number; readonly devicePorts: number },
  switchPorts: number = DEFAULT_COMPONENTS.cxlSwitchPorts,
): SwitchedCxlParams {
  return {
    hosts: pod.hosts,
    devices: Math.ceil((pod.hosts * pod.hostPorts) / pod.devicePorts),
    switchPorts,
    hostLinks: pod.hostPorts,
  };
}

/** The `switched-cxl` generator. */
export const switchedCxl: Generator<SwitchedCxlParams> = {
  name: 'switched-cxl',
  family: 'switched-cxl',
  summary:
    'hosts → CXL switches → single-headed memory devices; switches sized from their port count and joined in a ring when hosts do not reach them all',
  generate(params, options = {}) {
    const issues = [];
    if (params.hosts < 1)
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'hosts'],
        message: `hosts ${params.hosts}: need at least 1`,
      });
    if (params.devices < 1)
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'devices'],
        message: `devices ${params.devices}: need at least 1`,
      });
    if (params.switchPorts < 4)
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'switchPorts'],
        message: `switchPorts ${params.switchPorts}: a switch needs at least 4 ports`,
      });
    if (params.hostLinks < 1)
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'hostLinks'],
        message: `hostLinks ${params.hostLinks}: each host needs at least 1 CXL link`,
      });
    if (issues.length > 0) throw new GeneratorError(issues);
    refuseNics('switched-cxl', options);
    const components = options.components ?? DEFAULT_COMPONENTS;
    const S = switchCount(params, components.hostCxlPortLanes);
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
      b.addHost(`h${h}`, {
        placement: racks.place(HEIGHT_U.host),
        cxlPorts: Math.max(params.hostLinks, components.hostCxlPorts),
        gpus: options.gpusPerHost ?? components.gpusPerHost,
        nics: 0,
      });
    };
    for (let h = 0; h < half; h++) addHost(h);
    for (let s = 0; s < S; s++)
      b.addCxlSwitch(`sw${s}`, {
        placement: racks.place(HEIGHT_U.cxlSwitch),
        ports: params.switchPorts,
      });
    for (let d = 0; d < params.devices; d++)
      b.addMemoryDevice(`md${d}`, { placement: racks.place(HEIGHT_U.device) });
    for (let h = half; h < params.hosts; h++) addHost(h);
    const wiring = wire(params, S, components.hostCxlPortLanes);
    if (wiring === undefined) throw new Error(`switched-cxl: no wiring for ${S} switches`); // switchCount guarantees one
    wiring.hostSwitches.forEach((switches, h) => {
      for (const [s, links] of switches)
        if (links === 1) b.connectCxl(`h${h}`, `sw${s}`);
        else b.connectCxl(`h${h}`, `sw${s}`, { lanes: links * components.hostCxlPortLanes });
    });
    wiring.deviceSwitch.forEach((s, d) => b.connectCxl(`sw${s}`, `md${d}`));
    if (ringPorts(S, params.hostLinks) > 0)
      for (let s = 0; s < S; s++)
        if (S > 2 || s === 0) b.connectCxl(`sw${s}`, `sw${(s + 1) % S}`, { lanes: 16 });
    return b.build();
  },
};
