/** Edit distance between two strings (Levenshtein), with an early exit past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] as number;
}

/** How many edits still make `name` a likely typo of another name. */
function typoLimit(name: string): number {
  return Math.max(2, Math.floor(name.length / 3));
}

/** Up to `count` candidates within the typo limit of `name` (case-insensitive), closest first. */
export function nearestAll(name: string, candidates: readonly string[], count: number): string[] {
  const limit = typoLimit(name);
  const lower = name.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, d: distance(lower, candidate.toLowerCase(), limit) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, count)
    .map((c) => c.candidate);
}

/** The candidate closest to `name` (case-insensitive), if it is close enough to be a likely typo. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  const limit = typoLimit(name);
  let best: string | undefined;
  let bestDistance = limit + 1;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase(), Math.min(limit, bestDistance));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
