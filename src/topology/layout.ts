/**
 * Physical placement: fills racks bottom-up with equipment of given heights, moving to the
 * next rack when one is full, so generators get plausible positions from which the builder
 * derives cable lengths. Generators decide the order (e.g. interleaving an island's devices
 * between its hosts keeps cables short).
 */
import type { Placement } from './types.ts';

/** Typical heights (estimate: a 2U general-purpose server, 1U devices and switches). */
export const HEIGHT_U = Object.freeze({ host: 2, device: 1, cxlSwitch: 1, tor: 1, spine: 1 });

/** Hands out rack slots in order. */
export class RackAllocator {
  private rack = 0;
  private nextU = 0;

  /** @param heightU rack units per rack (42 in a standard rack) */
  constructor(private readonly heightU: number) {}

  /** Places an item of `heightU` units in the current rack, or the next one if it does not fit. */
  place(heightU: number): Placement {
    if (heightU > this.heightU)
      throw new RangeError(`an item of ${heightU}U does not fit a ${this.heightU}U rack`);
    if (this.nextU + heightU > this.heightU) this.nextRack();
    const p = { rack: this.rack, slotU: this.nextU };
    this.nextU += heightU;
    return p;
  }

  /** Starts a new rack (no-op if the current one is empty). */
  nextRack(): void {
    if (this.nextU === 0) return;
    this.rack++;
    this.nextU = 0;
  }

  /** Rack units still free in the current rack. */
  get freeU(): number {
    return this.heightU - this.nextU;
  }
}
