/**
 * podsim's documented ceilings (docs/limits.md): how much work or input one command accepts before
 * it refuses with a {@link LimitError} naming the limit and, where raising it makes sense, how.
 * Checked at the boundary (loaders, flags) before any long work starts.
 */

/** Every ceiling, by name; each figure says why it is where it is. */
export const LIMITS = Object.freeze({
  /** Bytes of one input file (topology, scenario, plan, flows, traffic, trace, sweep shard): far above any real one (the bundled files are < 20 kB; a 1 M-row trace ≈ 40 MB). */
  inputFileBytes: 256 * 1024 * 1024,
  /** Nesting depth of a YAML/JSON document: the deepest bundled file nests 6 levels. */
  yamlDepth: 64,
  /** YAML alias expansions per document (billion-laughs guard; the yaml library's own default is 100). */
  yamlAliases: 100,
  /** Hosts of one topology (the generators' existing ceiling, src/io/schema-fields.ts MAX_COUNT). */
  hosts: 10_000,
  /** Memory devices of one topology. */
  devices: 100_000,
  /** Requests of one simulation (10 M runs ≈ 1–2 minutes at the simulator's ≈ 100–200 k requests/s). */
  requests: 10_000_000,
  /** Tokens of one request (prompt + context + output): 1 M, above every model's context window. */
  tokensPerRequest: 1_048_576,
  /** Graph links of one topology (a 10,000-host Octopus pod of X = 8 has 80 k; a full pod of 10,000 × 10,000 or 10,000 one-host racks under 157 spines would be 1.6–100 M, minutes and gigabytes to build). */
  links: 1_000_000,
  /** Points of one sweep grid (a 100 k-point sweep of 2,000-request runs is days of CPU). */
  sweepPoints: 100_000,
  /** Monte Carlo samples of one pooling view. */
  monteCarloSamples: 100_000,
  /** Hosts for all-pairs RPC tables (memory grows with hosts²: 10,000 hosts ≈ 3.2 GB of matrices). */
  allPairsHosts: 4_096,
});

/** The name of a ceiling. */
export type LimitName = keyof typeof LIMITS;
