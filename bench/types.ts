/** One measured figure printed by `npm run bench`. */
export interface BenchRow {
  /** What was measured, e.g. "generate+validate+metrics octopus-sparse 1,024 hosts". */
  readonly name: string;
  /** The figure. */
  readonly value: number;
  /** Its unit, e.g. "ms", "flow events/s", "MiB". */
  readonly unit: string;
  /** The target in words, e.g. "< 1000 ms", when there is one. */
  readonly target?: string;
  /** Whether the target was met, when there is one. */
  readonly ok?: boolean;
}

/** A bench module: `bench/<area>.ts` exports `run` returning its rows. */
export type BenchModule = { run(): Promise<readonly BenchRow[]> };
