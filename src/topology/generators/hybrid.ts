/**
 * `hybrid`: Octopus pods inside racks, RDMA between them (docs/design.md: "hybrid"). Each pod
 * is built by its Octopus generator and copied in with ids prefixed `p<k>.` (`p0.h3`, `p0.d7`,
 * `p0.h3.gpu0`); each pod gets its own rack(s) and a ToR that every pod host's NICs are cabled to;
 * a spine joins the ToRs when there is more than one pod, one bundled link per ToR carrying the
 * pod's total NIC bandwidth (1:1).
 */
import { GeneratorError } from '../../errors/index.ts';
import { bytesPerNs } from '../../units/index.ts';
import { DEFAULT_COMPONENTS } from '../defaults.ts';
import { TopologyBuilder } from '../builder.ts';
import { nodeId } from '../keys.ts';
import { octopusBibd } from './octopus-bibd.ts';
import { octopusIslands } from './octopus-islands.ts';
import { octopusSparse } from './octopus-sparse.ts';
import type { Generator, HybridParams } from './types.ts';
import type { TopologyGraph } from '../types.ts';

function buildPod(
  pod: HybridParams['pod'],
  gpus: number | undefined,
  components: typeof DEFAULT_COMPONENTS,
): TopologyGraph {
  const opts = { components, nicsPerHost: 0, ...(gpus === undefined ? {} : { gpusPerHost: gpus }) };
  switch (pod.generator) {
    case 'octopus-bibd':
      return octopusBibd.generate(pod.params, opts);
    case 'octopus-islands':
      return octopusIslands.generate(pod.params, opts);
    case 'octopus-sparse':
      return octopusSparse.generate(pod.params, opts);
  }
}

/** The `hybrid` generator. */
export const hybrid: Generator<HybridParams> = {
  name: 'hybrid',
  family: 'hybrid',
  summary:
    'several Octopus pods (any Octopus generator), one per rack group, joined by RDMA: ToR per pod, spine across pods',
  generate(params, options = {}) {
    if (params.pods < 1)
      throw new GeneratorError([
        {
          code: 'generator.out-of-range',
          path: ['params', 'pods'],
          message: `pods ${params.pods}: need at least 1`,
        },
      ]);
    const components = options.components ?? DEFAULT_COMPONENTS;
    const nics = options.nicsPerHost ?? components.nicsPerHost;
    if (nics < 1)
      throw new GeneratorError([
        {
          code: 'generator.out-of-range',
          path: ['options', 'nicsPerHost'],
          message: `nicsPerHost ${nics}: hybrid pods talk over RDMA, so hosts need at least 1 NIC`,
        },
      ]);
    const pod = buildPod(params.pod, options.gpusPerHost, components);
    const podRacks = pod.getAttribute('layout').racks;
    const b = new TopologyBuilder({
      name: options.name ?? `hybrid-${params.pods}x${pod.getAttribute('name')}`,
      family: 'hybrid',
      description: `Hybrid: ${params.pods} × [${pod.getAttribute('description')}], pods joined by RDMA (${nics} NICs per host, ToR per pod${params.pods > 1 ? ', spine' : ''})`,
      generator: { name: 'hybrid', params: { ...params } },
      components,
    });
    let podHosts = 0;
    pod.forEachNode((_, a) => {
      if (a.kind === 'host') podHosts++;
    });
    for (let k = 0; k < params.pods; k++) copyPod(b, pod, k, podRacks, podHosts, nics, components);
    if (params.pods > 1) {
      const spineRack = params.pods * (podRacks + 1);
      b.addSpine('spine0', {
        placement: { rack: spineRack, slotU: 0 },
        ports: Math.max(components.torPorts, params.pods),
      });
      for (let k = 0; k < params.pods; k++)
        b.connectNetwork(`tor${k}`, 'spine0', {
          bandwidthBytesPerNs: bytesPerNs(podHosts * nics * components.nicRateBytesPerNs),
        });
    }
    return b.build();
  },
};

/**
 * Copies pod `k` into the builder with ids prefixed `p<k>.` and racks shifted past the earlier
 * pods, then adds its ToR (in the rack after the pod's) and cables every host's NICs to it.
 */
function copyPod(
  b: TopologyBuilder,
  pod: TopologyGraph,
  k: number,
  podRacks: number,
  podHosts: number,
  nics: number,
  components: typeof DEFAULT_COMPONENTS,
): void {
  const rackBase = k * (podRacks + 1);
  const shift = (p: { rack: number; slotU: number }): { rack: number; slotU: number } => ({
    rack: rackBase + p.rack,
    slotU: p.slotU,
  });
  pod.forEachNode((id, a) => {
    const pid = `p${k}.${nodeId(id)}`;
    if (a.kind === 'host') {
      b.addHost(pid, {
        placement: shift(a.placement),
        sockets: a.sockets,
        cxlPorts: a.cxlPorts,
        cxlPortLanes: a.cxlPortLanes,
        localDramBytes: a.localDramBytes,
        gpus: pod.neighbors(id).filter((n) => pod.getNodeAttribute(n, 'kind') === 'gpu').length,
        nics,
        ...(a.island === undefined ? {} : { island: a.island }),
      });
    } else if (a.kind === 'mhd') {
      b.addMhd(pid, { ...a, placement: shift(a.placement) });
    }
  });
  pod.forEachEdge((_, l, s, t) => {
    if (l.kind === 'cxl')
      b.connectCxl(`p${k}.${nodeId(s)}`, `p${k}.${nodeId(t)}`, {
        generation: l.generation,
        lanes: l.lanes,
        lengthM: l.lengthM,
        retimers: l.retimers,
      });
  });
  b.addTor(`tor${k}`, {
    placement: { rack: rackBase + podRacks, slotU: 0 },
    ports: Math.max(components.torPorts, podHosts * nics * 2),
  });
  pod.forEachNode((id, a) => {
    if (a.kind === 'host')
      for (let n = 0; n < nics; n++) b.connectNetwork(`p${k}.${nodeId(id)}.nic${n}`, `tor${k}`);
  });
}
