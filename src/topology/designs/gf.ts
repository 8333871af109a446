/**
 * Finite fields GF(q) for prime powers q = p^k, as lookup tables (q is small: designs with
 * N ≤ 32 ports). Elements are integers 0…q−1 encoding polynomials over Z_p in base p; the
 * modulus is the first monic irreducible polynomial of degree k found in lexicographic order,
 * so the tables are deterministic. Hand-written: no maintained npm package builds GF(p^k)
 * tables, and ~60 lines do.
 */

/** Addition and multiplication tables of GF(q). */
export interface FiniteField {
  readonly q: number;
  readonly p: number;
  readonly k: number;
  readonly add: (a: number, b: number) => number;
  readonly mul: (a: number, b: number) => number;
}

/** If n = p^k for a prime p, returns [p, k]; otherwise undefined. */
export function primePower(n: number): [number, number] | undefined {
  if (!Number.isInteger(n) || n < 2) return undefined;
  let p = 2;
  while (p * p <= n && n % p !== 0) p++;
  if (n % p !== 0) p = n;
  let k = 0;
  let m = n;
  while (m % p === 0) {
    m /= p;
    k++;
  }
  return m === 1 ? [p, k] : undefined;
}

function digits(x: number, p: number, k: number): number[] {
  const d: number[] = [];
  for (let i = 0; i < k; i++) {
    d.push(x % p);
    x = Math.floor(x / p);
  }
  return d;
}

function fromDigits(d: readonly number[], p: number): number {
  let x = 0;
  for (let i = d.length - 1; i >= 0; i--) x = x * p + (d[i] ?? 0);
  return x;
}

/** Multiplies two polynomials (coefficient arrays, low degree first) mod p, then mod a monic `modulus`. */
function polyMulMod(
  a: readonly number[],
  b: readonly number[],
  modulus: readonly number[],
  p: number,
): number[] {
  const k = modulus.length - 1;
  const prod = new Array<number>(a.length + b.length - 1).fill(0);
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++)
      prod[i + j] = ((prod[i + j] ?? 0) + (a[i] ?? 0) * (b[j] ?? 0)) % p;
  for (let deg = prod.length - 1; deg >= k; deg--) {
    const c = prod[deg] ?? 0;
    if (c === 0) continue;
    for (let i = 0; i <= k; i++)
      prod[deg - k + i] = ((((prod[deg - k + i] ?? 0) - c * (modulus[i] ?? 0)) % p) + p) % p;
  }
  return prod.slice(0, k).concat(new Array<number>(Math.max(0, k - prod.length)).fill(0));
}

function isIrreducible(modulus: readonly number[], p: number): boolean {
  // Small degrees only: irreducible iff no root-free factorisation; test by checking that
  // x^(p^k) ≡ x and that the multiplicative group generated has no zero divisors (brute force).
  const k = modulus.length - 1;
  const q = p ** k;
  for (let a = 1; a < q; a++) {
    for (let b = 1; b < q; b++) {
      const prod = polyMulMod(digits(a, p, k), digits(b, p, k), modulus, p);
      if (prod.every((c) => c === 0)) return false;
    }
  }
  return true;
}

const cache = new Map<number, FiniteField>();

/** GF(q) for a prime power q; throws RangeError otherwise (callers check with {@link primePower}). */
export function finiteField(q: number): FiniteField {
  const hit = cache.get(q);
  if (hit !== undefined) return hit;
  const pk = primePower(q);
  if (pk === undefined) throw new RangeError(`${q} is not a prime power`);
  const [p, k] = pk;
  let modulus: number[] = [0, 1];
  if (k > 1) {
    for (let m = 0; m < q; m++) {
      const candidate = [...digits(m, p, k), 1];
      if (isIrreducible(candidate, p)) {
        modulus = candidate;
        break;
      }
    }
  }
  const addT = new Int32Array(q * q);
  const mulT = new Int32Array(q * q);
  for (let a = 0; a < q; a++) {
    const da = digits(a, p, k);
    for (let b = 0; b < q; b++) {
      const db = digits(b, p, k);
      addT[a * q + b] = fromDigits(
        da.map((x, i) => (x + (db[i] ?? 0)) % p),
        p,
      );
      mulT[a * q + b] = k === 1 ? (a * b) % p : fromDigits(polyMulMod(da, db, modulus, p), p);
    }
  }
  const field: FiniteField = {
    q,
    p,
    k,
    add: (a, b) => addT[a * q + b] ?? 0,
    mul: (a, b) => mulT[a * q + b] ?? 0,
  };
  cache.set(q, field);
  return field;
}
