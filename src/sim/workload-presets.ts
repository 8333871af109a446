/**
 * LongBench context-length presets (docs/references.md §3): the context lengths of the data sets
 * DroidSpeak evaluates on, as lognormal length specs a workload can name.
 */
import type { LognormalLengthSpec, LongBenchDataset } from './workload-types.ts';

/** Smallest and largest context of every LongBench preset, in tokens. */
const PRESET_MIN_TOKENS = 256;
const PRESET_MAX_TOKENS = 131_072;

function preset(medianTokens: number, p95Tokens: number): LognormalLengthSpec {
  return Object.freeze({
    kind: 'lognormal',
    medianTokens,
    p95Tokens,
    minTokens: PRESET_MIN_TOKENS,
    maxTokens: PRESET_MAX_TOKENS,
  });
}

/**
 * Context-length distributions of the LongBench sets DroidSpeak evaluates on, fitted as
 * lognormals to the (median, P95) of docs/references.md §3 "Context lengths (LongBench sets used by
 * DroidSpeak; tokens)", clamped to [256, 131072] tokens.
 * @example contexts: { count: 300, length: LONGBENCH_PRESETS.hotpotqa } // median 10,933, P95 18,650 tokens
 */
export const LONGBENCH_PRESETS: Readonly<Record<LongBenchDataset, LognormalLengthSpec>> =
  Object.freeze({
    // docs/references.md §3, table "Context lengths": dataset → median, P95 (tokens).
    hotpotqa: preset(10_933, 18_650),
    '2wikimqa': preset(7_466, 10_705),
    multifieldqa_en: preset(8_084, 14_680),
    multi_news: preset(7_624, 17_547),
    lcc: preset(12_562, 26_066),
    'repobench-p': preset(14_285, 30_376),
  });
