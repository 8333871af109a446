/** The shape of a λ = 1 block design, shared by every construction in this folder. */

/** How a design was built. */
export type Construction =
  | 'single-block'
  | 'complete-graph'
  | 'projective-plane'
  | 'affine-plane'
  | 'steiner-triple'
  | 'difference-family'
  | 'one-rotational'
  | 'projective-geometry'
  | 'affine-geometry'
  | 'hermitian-unital';

/** A 2-(v, k, 1) design: `blocks[i]` lists the (ascending) points of block i. */
export interface BlockDesign {
  readonly points: number;
  readonly blockSize: number;
  readonly blocks: readonly (readonly number[])[];
  readonly construction: Construction;
}
