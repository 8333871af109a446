/**
 * "Did you mean …?" for every layer that names things a user typed (schema keys in io/, model
 * and GPU ids in kv/, node ids): one edit-distance helper below every layer that needs it.
 */

/** Edit distance (insert, delete, substitute) between two strings, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[t.length] ?? 0;
}

/**
 * The allowed word closest to `word`, when it is close enough to be a plausible typo (edit
 * distance ≤ max(2, ⅓ of the word), or one contains the other); `undefined` otherwise.
 * @example closest('hostport', ['hostPorts', 'devicePorts']) // 'hostPorts'
 */
export function closest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of allowed) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined || word.length === 0) return undefined;
  if (bestDistance <= Math.max(2, Math.floor(word.length / 3))) return best;
  const lw = word.toLowerCase();
  for (const candidate of allowed) {
    const lc = candidate.toLowerCase();
    if (lc.length >= 3 && lw.length >= 3 && (lc.includes(lw) || lw.includes(lc))) return candidate;
  }
  return undefined;
}
