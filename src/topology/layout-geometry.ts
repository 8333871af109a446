/**
 * The physical model behind cable lengths (docs/layout.md "Geometry" and "Cable routing"): one
 * row of racks at a fixed pitch, equipment in rack units, and one routing rule shared by the
 * builder (which derives every cable's length from placements) and the layout optimiser (which
 * chooses those placements). Also the slot grid the optimiser places Octopus pods into.
 */
import { metres, type Metres } from '../units/index.ts';
import { CABLE_SLACK_M, DEFAULT_LAYOUT, RACK_UNIT_M } from './defaults.ts';
import { HEIGHT_U } from './layout.ts';

/** Whether cables may outrun copper reach (then carrying retimers) or must fit it. */
export type RetimerPolicy = 'allow' | 'forbid';

/** How an Octopus pod is placed: optimised for short cables, or the old fill-in-index-order. */
export type PlacementStrategy = 'optimised' | 'fill';

/** Rack geometry and placement choices for an Octopus pod (every field resolved). */
export interface LayoutGeometry {
  /** Rack units per rack. */
  readonly rackHeightU: number;
  /** Centre-to-centre distance of adjacent racks in the row. */
  readonly rackPitchM: Metres;
  /** Height of one host (server). */
  readonly hostHeightU: number;
  /** Height of one multi-headed memory device. */
  readonly deviceHeightU: number;
  /** `forbid`: a pod with any cable beyond copper reach is refused; `allow`: such cables get retimers. */
  readonly retimers: RetimerPolicy;
  readonly placement: PlacementStrategy;
  /** Seed of the optimiser's local search. */
  readonly seed: number;
}

/**
 * Defaults (docs/layout.md "Defaults"): 42U racks 0.6 m apart (EIA-310 height, standard 600 mm
 * rack width, as DEFAULT_LAYOUT); 2U hosts and 1U MHDs (estimate: HEIGHT_U); retimers allowed so
 * every pod podsim built before stays buildable, with `fitsReach` in `topology inspect` saying
 * whether it needs them (estimate: a policy choice, docs/layout.md "Retimer policy"); seed 1.
 */
export const DEFAULT_LAYOUT_GEOMETRY: LayoutGeometry = Object.freeze({
  rackHeightU: DEFAULT_LAYOUT.heightU,
  rackPitchM: DEFAULT_LAYOUT.rackPitchM,
  hostHeightU: HEIGHT_U.host,
  deviceHeightU: HEIGHT_U.device,
  retimers: 'allow',
  placement: 'optimised',
  seed: 1,
});

/**
 * Unrounded routed length of a cable between two ports (docs/layout.md "Cable routing"): within
 * a rack a vertical run of |ΔU| × 0.04445 m; between racks the same vertical run plus a
 * horizontal run of |Δrack| × pitch through the rack sides; plus a fixed slack for reaching
 * the ports (CABLE_SLACK_M, estimate).
 * @param rackPitchM metres between adjacent racks
 */
export function routedLengthM(
  rackPitchM: number,
  rackA: number,
  slotA: number,
  rackB: number,
  slotB: number,
): number {
  return (
    Math.abs(rackA - rackB) * rackPitchM + Math.abs(slotA - slotB) * RACK_UNIT_M + CABLE_SLACK_M
  );
}

/** {@link routedLengthM} rounded to 0.1 mm, as every derived cable length is stored. */
export function roundedLengthM(lengthM: number): Metres {
  return metres(Number(lengthM.toFixed(4)));
}

/**
 * The cell grid an Octopus pod is placed into (docs/layout.md "Geometry"): every rack is a stack
 * of cells as tall as the taller of a host and a device; a cell holds one host or
 * ⌊cell ÷ device height⌋ devices (two 1U MHDs in a 2U cell by default), so hosts and devices can
 * trade places without ever overlapping. Cell c is in rack ⌊c ÷ cellsPerRack⌋.
 */
export interface CellGrid {
  readonly racks: number;
  readonly cellsPerRack: number;
  readonly cellHeightU: number;
  /** Devices one cell holds. */
  readonly devicesPerCell: number;
  readonly deviceHeightU: number;
  /** Cells holding hosts and devices in the first placement (the rest start free). */
  readonly hostCells: number;
  readonly deviceCells: number;
}

/**
 * The fewest racks whose cells hold `hosts` hosts and `devices` devices.
 * @throws RangeError when a host or a device is taller than a rack
 */
export function cellGrid(hosts: number, devices: number, g: LayoutGeometry): CellGrid {
  const cellHeightU = Math.max(g.hostHeightU, g.deviceHeightU);
  if (cellHeightU > g.rackHeightU)
    throw new RangeError(`a ${cellHeightU}U item cannot be placed in a ${g.rackHeightU}U rack`);
  const cellsPerRack = Math.floor(g.rackHeightU / cellHeightU);
  const devicesPerCell = Math.floor(cellHeightU / g.deviceHeightU);
  const deviceCells = Math.ceil(devices / devicesPerCell);
  const racks = Math.max(1, Math.ceil((hosts + deviceCells) / cellsPerRack));
  return {
    racks,
    cellsPerRack,
    cellHeightU,
    devicesPerCell,
    deviceHeightU: g.deviceHeightU,
    hostCells: hosts,
    deviceCells,
  };
}
