/**
 * Host-internal links for src/topology/validate.ts: which pairs a PCIe or C2C link may join
 * (a host to its own GPU or NIC; a GPU to its host over C2C; a NIC to a GPU of the same host for
 * GPUDirect RDMA), and a node's links counted by what they attach.
 */
import type { NodeAttributes, TopologyGraph } from './types.ts';

/**
 * What is wrong with a host-internal link joining `s` and `t` (`pair` describes them), or
 * undefined. Allowed: a host to one of its own GPUs or NICs (PCIe), a host to one of its own GPUs
 * (coherent C2C), or — GPUDirect RDMA — a NIC to a GPU of the same host (PCIe).
 */
export function internalLinkProblem(
  kind: 'pcie' | 'c2c',
  s: string,
  sa: NodeAttributes,
  t: string,
  ta: NodeAttributes,
  pair: string,
): string | undefined {
  const what = kind === 'pcie' ? 'host-internal PCIe link' : 'coherent C2C link';
  if (kind === 'pcie' && sa.kind !== 'host' && ta.kind !== 'host') {
    const [nic, gpu] = sa.kind === 'nic' ? [sa, ta] : [ta, sa];
    if (nic.kind !== 'nic' || gpu.kind !== 'gpu')
      return `a ${what} cannot join ${pair}; allowed: a host to one of its GPUs or NICs, or (GPUDirect RDMA) a NIC to a GPU of the same host`;
    if (nic.host !== gpu.host)
      return `GPUDirect PCIe link joins a NIC of ${nic.host} to a GPU of ${gpu.host}; a NIC pairs only with a GPU of its own host`;
    return undefined;
  }
  const [host, hostAttrs, dev] = sa.kind === 'host' ? [s, sa, ta] : [t, ta, sa];
  const allowed =
    kind === 'pcie' ? 'a host to one of its GPUs or NICs' : 'a host to one of its GPUs';
  if (hostAttrs.kind !== 'host' || (dev.kind !== 'gpu' && (kind === 'c2c' || dev.kind !== 'nic')))
    return `a ${what} cannot join ${pair}; allowed: ${allowed}`;
  if (dev.host !== host)
    return `${what} joins ${host} to a ${dev.kind} of ${dev.host}; a GPU or NIC attaches only to its own host`;
  return undefined;
}

/**
 * A node's links by what they are: CXL cables, network cables, links of a GPU or NIC to its own
 * host (PCIe, or C2C for a GPU), and a GPU's GPUDirect links to NICs.
 */
export function attachments(
  graph: TopologyGraph,
  id: string,
  a: NodeAttributes,
): { cxl: number; network: number; pcieToOwnHost: number; gpuDirect: number } {
  let cxl = 0;
  let network = 0;
  let pcieToOwnHost = 0;
  let gpuDirect = 0;
  graph.forEachEdge(id, (_e, l, s, t, sa, ta) => {
    if (l.kind === 'pcie' && a.kind === 'gpu' && (sa.kind === 'nic' || ta.kind === 'nic'))
      gpuDirect++;
    if (l.kind === 'cxl') cxl++;
    else if (l.kind === 'network') network++;
    else if (
      (l.kind === 'pcie' || (l.kind === 'c2c' && a.kind === 'gpu')) &&
      (a.kind === 'gpu' || a.kind === 'nic') &&
      (s === a.host || t === a.host)
    )
      pcieToOwnHost++;
  });
  return { cxl, network, pcieToOwnHost, gpuDirect };
}
