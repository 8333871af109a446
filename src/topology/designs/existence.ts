/**
 * Why a λ = 1 design with host degree X and block size N (v = X(N−1)+1 points) cannot exist, in
 * words a user can act on (docs/octopus-generators.md "Which designs exist"): the divisibility
 * conditions and Fisher's inequality, and the few admissible shapes proved impossible —
 * projective and affine planes of the orders the Bruck–Ryser theorem excludes, order 10 (Lam,
 * Thiel and Swiercz 1989) and 2-(46,6,1) (Houghten, Thiel, Janssen and Lam 2001).
 */

/** Whether n is a sum of two squares. */
function sumOfTwoSquares(n: number): boolean {
  for (let a = 0; a * a <= n; a++) {
    const b = Math.round(Math.sqrt(n - a * a));
    if (b * b === n - a * a) return true;
  }
  return false;
}

/** Whether a projective plane of order n is known not to exist (Bruck–Ryser, or n = 10). */
function noPlaneOfOrder(n: number): string | undefined {
  if (n === 10) return 'no projective plane of order 10 exists (Lam, Thiel and Swiercz 1989)';
  if ((n % 4 === 1 || n % 4 === 2) && !sumOfTwoSquares(n))
    return `no projective plane of order ${n} exists (Bruck–Ryser: ${n} ≡ ${n % 4} mod 4 and not a sum of two squares)`;
  return undefined;
}

/**
 * The reason an admissible 2-(v, N, 1) design with host degree X is known not to exist, or
 * undefined when none is known (it may still exist without a podsim construction).
 */
export function knownNonExistent(X: number, N: number): string | undefined {
  if (X === N) return noPlaneOfOrder(N - 1);
  if (X === N + 1) {
    const why = noPlaneOfOrder(N);
    return why === undefined ? undefined : `${why}, so no affine plane of order ${N} either`;
  }
  if (X === 9 && N === 6)
    return 'no 2-(46,6,1) design exists (Houghten, Thiel, Janssen and Lam 2001)';
  return undefined;
}

/**
 * The necessary conditions a 2-(v, N, 1) design with v = X(N−1)+1 fails, each with its numbers:
 * empty when all hold.
 */
export function failedConditions(X: number, N: number): string[] {
  const v = X * (N - 1) + 1;
  const out: string[] = [];
  if ((v * X) % N !== 0)
    out.push(
      `the ${v} hosts × ${X} ports = ${v * X} cable ends must divide into ${N}-port devices (${v * X} mod ${N} = ${(v * X) % N})`,
    );
  if ((v * (v - 1)) % (N * (N - 1)) !== 0 && (v * X) % N === 0)
    out.push(
      `v(v−1) = ${v * (v - 1)} host pairs × 2 must divide by N(N−1) = ${N * (N - 1)} pairs per device × 2`,
    );
  if (X < N) out.push(`Fisher's inequality needs hostPorts ≥ devicePorts (${X} < ${N})`);
  return out;
}

/**
 * Which host counts a 2-(v, N, 1) design can have: v ≡ 1 or N (mod N(N−1)) for the usual block
 * sizes, written for the message (the exact rule is v − 1 ≡ 0 mod N−1 and v(v−1) ≡ 0 mod N(N−1)).
 */
export function admissibleHostCounts(N: number, upTo: number): number[] {
  const out: number[] = [];
  for (let X = N; X * (N - 1) + 1 <= upTo; X++) {
    const v = X * (N - 1) + 1;
    if ((v * X) % N === 0 && (v * (v - 1)) % (N * (N - 1)) === 0) out.push(v);
  }
  return out;
}

/** Whether Hanani's theorems guarantee every admissible 2-(v, N, 1) exists (N = 3, 4, 5). */
export function existenceGuaranteed(N: number): boolean {
  return N >= 2 && N <= 5;
}
