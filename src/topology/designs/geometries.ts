/**
 * Finite-geometry λ = 1 designs beyond the planes (docs/octopus-generators.md "octopus-bibd:
 * every pair shares one device"):
 *
 * - lines of PG(d, q): (q^{d+1}−1)/(q−1) points, q+1 points per line, e.g. PG(3,3) = 2-(40,4,1);
 * - lines of AG(d, q): q^d points, q points per line, e.g. AG(3,4) = 2-(64,4,1);
 * - the Hermitian unital in PG(2, q²): the q³+1 points of x^{q+1}+y^{q+1}+z^{q+1} = 0, blocks its
 *   secant lines (q+1 points each), e.g. q = 3: 2-(28,4,1), the X = 9, N = 4 pod.
 *
 * All deterministic: points are numbered in lexicographic order of their coordinates.
 */
import { finiteField, type FiniteField } from './gf.ts';
import type { BlockDesign } from './types.ts';

const sortBlock = (b: number[]): number[] => b.sort((x, y) => x - y);

/** Normalised projective points of GF(q)^(d+1): first non-zero coordinate 1, lexicographic. */
function projectivePoints(F: FiniteField, dim: number): number[][] {
  const out: number[][] = [];
  const total = F.q ** dim;
  for (let code = 1; code < total; code++) {
    const v: number[] = [];
    for (let i = dim - 1, c = code; i >= 0; i--, c = Math.floor(c / F.q)) v[i] = c % F.q;
    if (v.find((x) => x !== 0) === 1) out.push(v);
  }
  return out;
}

/** The normalised form of a non-zero vector (scaled so its first non-zero coordinate is 1). */
function normalise(F: FiniteField, v: readonly number[]): number[] {
  const lead = v.find((x) => x !== 0) ?? 1;
  let inv = 1;
  for (let y = 1; y < F.q; y++) if (F.mul(lead, y) === 1) inv = y;
  return v.map((x) => F.mul(x, inv));
}

/**
 * Blocks through every pair, built pair by pair: `lineThrough(i, j)` lists the points of the
 * line through points i and j; each line is added once, when its first uncovered pair appears.
 */
function linesOf(v: number, lineThrough: (i: number, j: number) => number[]): number[][] {
  const covered = new Uint8Array(v * v);
  const blocks: number[][] = [];
  for (let i = 0; i < v; i++)
    for (let j = i + 1; j < v; j++) {
      if (covered[i * v + j] === 1) continue;
      const line = sortBlock(lineThrough(i, j));
      for (const a of line) for (const b of line) covered[a * v + b] = 1;
      blocks.push(line);
    }
  return blocks;
}

/** Lines of PG(d, q) as a 2-((q^{d+1}−1)/(q−1), q+1, 1) design. */
export function projectiveGeometry(d: number, q: number): BlockDesign {
  const F = finiteField(q);
  const pts = projectivePoints(F, d + 1);
  const index = new Map(pts.map((p, i) => [p.join(','), i]));
  const blocks = linesOf(pts.length, (i, j) => {
    const a = pts[i] ?? [];
    const b = pts[j] ?? [];
    const line = [i];
    for (let t = 0; t < q; t++) {
      const p = normalise(
        F,
        b.map((x, c) => F.add(x, F.mul(t, a[c] ?? 0))),
      );
      line.push(index.get(p.join(',')) ?? -1);
    }
    return line;
  });
  return { points: pts.length, blockSize: q + 1, blocks, construction: 'projective-geometry' };
}

/** Lines of AG(d, q) as a 2-(q^d, q, 1) design. */
export function affineGeometry(d: number, q: number): BlockDesign {
  const F = finiteField(q);
  const v = q ** d;
  const coords = (i: number): number[] => {
    const c: number[] = [];
    for (let k = d - 1, x = i; k >= 0; k--, x = Math.floor(x / q)) c[k] = x % q;
    return c;
  };
  const code = (c: readonly number[]): number => c.reduce((acc, x) => acc * q + x, 0);
  const neg = (x: number): number => {
    for (let y = 0; y < q; y++) if (F.add(x, y) === 0) return y;
    return 0;
  };
  const blocks = linesOf(v, (i, j) => {
    const a = coords(i);
    const dir = coords(j).map((x, k) => F.add(x, neg(a[k] ?? 0)));
    const line: number[] = [];
    for (let t = 0; t < q; t++) line.push(code(a.map((x, k) => F.add(x, F.mul(t, dir[k] ?? 0)))));
    return line;
  });
  return { points: v, blockSize: q, blocks, construction: 'affine-geometry' };
}

/** The Hermitian unital of order q: a 2-(q³+1, q+1, 1) design inside PG(2, q²). */
export function hermitianUnital(q: number): BlockDesign {
  const F = finiteField(q * q);
  const pow = (x: number, e: number): number => {
    let r = 1;
    for (let i = 0; i < e; i++) r = F.mul(r, x);
    return r;
  };
  const norm = (x: number): number => pow(x, q + 1);
  const all = projectivePoints(F, 3);
  const onCurve = all.filter(
    (p) => F.add(F.add(norm(p[0] ?? 0), norm(p[1] ?? 0)), norm(p[2] ?? 0)) === 0,
  );
  const blocks: number[][] = [];
  for (const line of all) {
    const pts: number[] = [];
    onCurve.forEach((p, i) => {
      let dot = 0;
      for (let c = 0; c < 3; c++) dot = F.add(dot, F.mul(p[c] ?? 0, line[c] ?? 0));
      if (dot === 0) pts.push(i);
    });
    if (pts.length === q + 1) blocks.push(pts);
  }
  blocks.sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  });
  return { points: onCurve.length, blockSize: q + 1, blocks, construction: 'hermitian-unital' };
}
