/**
 * `rdma-rack`: the in-rack RDMA baseline (docs/references.md §2: DroidSpeak's testbed fetches caches
 * GPU-to-GPU over 200 Gb/s InfiniBand). Hosts are split evenly over racks; each rack has one
 * ToR with every host NIC cabled to it; with more than one rack, spines join the ToRs with as
 * many uplinks as the rack has host NICs (1:1, non-blocking), spread over ⌈uplinks / ports⌉
 * spines. A ToR needs ports for its host NICs plus its uplinks; too few → GeneratorError.
 */
import { GeneratorError, type Issue } from '../../errors/index.ts';
import { bytesPerNs as bytesPerNsOf } from '../../units/index.ts';
import { DEFAULT_COMPONENTS } from '../defaults.ts';
import { TopologyBuilder } from '../builder.ts';
import { HEIGHT_U, RackAllocator } from '../layout.ts';
import type { Generator, RdmaRackParams } from './types.ts';

/** The `rdma-rack` generator. */
export const rdmaRack: Generator<RdmaRackParams> = {
  name: 'rdma-rack',
  family: 'rdma',
  summary: 'hosts with RDMA NICs → one ToR per rack → non-blocking spine layer when racks > 1',
  generate(params, options = {}) {
    const components = options.components ?? DEFAULT_COMPONENTS;
    const nics = options.nicsPerHost ?? components.nicsPerHost;
    const issues: Issue[] = [];
    if (params.racks < 1)
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'racks'],
        message: `racks ${params.racks}: need at least 1`,
      });
    if (params.hosts < Math.max(1, params.racks))
      issues.push({
        code: 'generator.out-of-range',
        path: ['params', 'hosts'],
        message: `hosts ${params.hosts}: need at least one host per rack (${params.racks} racks)`,
      });
    if (nics < 1)
      issues.push({
        code: 'generator.out-of-range',
        path: ['options', 'nicsPerHost'],
        message: `nicsPerHost ${nics}: RDMA hosts need at least 1 NIC`,
      });
    if (issues.length > 0) throw new GeneratorError(issues);
    const perRack = Math.ceil(params.hosts / params.racks);
    const torPorts = components.torPorts;
    const uplinks = params.racks > 1 ? perRack * nics : 0;
    if (perRack * nics + uplinks > torPorts) {
      throw new GeneratorError([
        {
          code: 'generator.ports-exceeded',
          path: ['params', 'hosts'],
          message: `a rack of ${perRack} hosts × ${nics} NICs${uplinks > 0 ? ` + ${uplinks} uplinks` : ''} needs ${perRack * nics + uplinks} ToR ports, more than the ${torPorts} a ToR has (components.torPorts); use more racks or fewer NICs per host`,
        },
      ]);
    }
    const spines =
      params.racks > 1 ? Math.max(1, Math.ceil((uplinks * params.racks) / torPorts)) : 0;
    const b = new TopologyBuilder({
      name: options.name ?? `rdma-${params.hosts}x${params.racks}`,
      family: 'rdma',
      description: `RDMA racks: ${params.hosts} hosts × ${nics} NICs in ${params.racks} rack${params.racks > 1 ? 's' : ''}, one ToR each${spines > 0 ? `, ${spines} spine${spines > 1 ? 's' : ''} (1:1)` : ''}`,
      generator: { name: 'rdma-rack', params: { ...params } },
      components,
    });
    const racks = new RackAllocator(42);
    let h = 0;
    for (let r = 0; r < params.racks; r++) {
      racks.nextRack();
      b.addTor(`tor${r}`, { placement: racks.place(HEIGHT_U.tor) });
      for (let k = 0; k < perRack && h < params.hosts; k++, h++) {
        b.addHost(`h${h}`, {
          placement: racks.place(HEIGHT_U.host),
          gpus: options.gpusPerHost ?? components.gpusPerHost,
          nics,
        });
        for (let n = 0; n < nics; n++) b.connectNetwork(`h${h}.nic${n}`, `tor${r}`);
      }
    }
    if (spines > 0) {
      racks.nextRack();
      for (let s = 0; s < spines; s++)
        b.addSpine(`spine${s}`, { placement: racks.place(HEIGHT_U.spine) });
      // One graph link per ToR–spine pair carrying the bundled uplink bandwidth (uplinks/spines cables).
      for (let r = 0; r < params.racks; r++)
        for (let s = 0; s < spines; s++)
          b.connectNetwork(`tor${r}`, `spine${s}`, {
            bandwidthBytesPerNs: bytesPerNsOf((uplinks / spines) * components.nicRateBytesPerNs),
          });
    }
    return b.build();
  },
};
