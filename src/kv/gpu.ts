/**
 * GPU profiles for the compute model (docs/design.md "GPU compute"), in one frozen, commented
 * place (docs/design.md convention §9). Peak figures are dense (no structured sparsity) bf16/fp16 tensor-core
 * throughput and memory bandwidth from NVIDIA's datasheets; `computeEfficiency` is calibrated
 * against DroidSpeak's 40 K-token Llama-3.1-8B prefill on one A100 (≈ 4 s, docs/references.md §3);
 * `memoryEfficiency` and the tensor-parallel figures are estimates and say so.
 */
import { bytes, bytesPerNs, GiB, type Bytes, type BytesPerNs } from '../units/index.ts';
import { lookupById, nameTable } from './lookup.ts';

/** Throughput and memory of one GPU model, resolved. */
export interface GpuProfile {
  /** Display name, e.g. `A100-80GB`. */
  readonly name: string;
  /** Peak dense bf16/fp16 tensor-core throughput, FLOPs per ns (1 FLOP/ns = 1 GFLOP/s; 312 TFLOP/s = 312 000). */
  readonly peakFlopsPerNs: number;
  /** HBM (device memory) capacity. */
  readonly hbmBytes: Bytes;
  /** Peak HBM bandwidth (bytes/ns = GB/s decimal). */
  readonly hbmBandwidthBytesPerNs: BytesPerNs;
  /** Fraction of `peakFlopsPerNs` achieved in prefill (calibrated; see {@link A100_PREFILL_CALIBRATION}). */
  readonly computeEfficiency: number;
  /** Fraction of `hbmBandwidthBytesPerNs` achieved by decode steps *(estimate)*. */
  readonly memoryEfficiency: number;
}

/**
 * The published measurement the compute efficiency is calibrated on: DroidSpeak (docs/references.md
 * §3, "Motivating numbers"): Llama-3.1-8B on one A100, a 40 K-token prefill takes ≈ 4 s.
 */
export const A100_PREFILL_CALIBRATION = Object.freeze({
  /** Built-in model id. */
  modelId: 'llama-3.1-8b',
  /** Built-in GPU id. */
  gpuId: 'a100-80gb',
  /** Prompt length, tokens. */
  tokens: 40_000,
  /** Measured prefill time, ns (4 s). */
  prefillTimeNs: 4e9,
});

/**
 * Fraction of peak dense FLOPs achieved in prefill, CALIBRATED (not guessed) so that the FLOP
 * model of compute.ts reproduces {@link A100_PREFILL_CALIBRATION}:
 *
 * Llama-3.1-8B, T = 40 000 tokens, no prior context (compute.ts formulas):
 * - matmul weights per layer: attention 2·4096·4096 + 2·4096·1024 = 41 943 040, MLP
 *   3·4096·14336 = 176 160 768 → 218 103 808; linear FLOPs per layer = 2 · 218 103 808 · 40 000
 *   = 1.744 830 464e13;
 * - attention FLOPs per layer = 2 · 2 · 32 heads · 128 · 40 000 · (40 000 + 1)/2
 *   = 1.310 752 768e13;
 * - per layer 3.055 583 232e13; 32 layers → 9.777 866 342e14; LM head for the last token
 *   2 · 4096 · 128 256 = 1.050 673e9;
 * - total 9.777 876 849e14 FLOPs. At the A100's 312 TFLOP/s (312 000 FLOP/ns) that is 3.1339 s
 *   at 100 % of peak, so efficiency = 3.1339 s / 4.0 s = 0.78348 (≈ 78 % of peak: high but
 *   plausible for long-prompt prefill, which is dominated by large GEMMs; being a fit, it also
 *   absorbs any error of the FLOP model, e.g. ignored softmax and norm work).
 *
 * Assumption: the same fraction of peak applies to the other GPUs (no published figure for
 * them in docs/references.md). Override per scenario when a measurement exists.
 */
export const CALIBRATED_COMPUTE_EFFICIENCY = 0.78348;

/** Fraction of peak HBM bandwidth a decode step achieves *(estimate: typical of vLLM-class kernels)*. */
export const ESTIMATED_MEMORY_EFFICIENCY = 0.8;

/** Defaults of the compute model that are not per-GPU, each with its source. */
export const COMPUTE_DEFAULTS = Object.freeze({
  /**
   * Efficiency of tensor parallelism across `tp` > 1 GPUs: time = ideal ÷ tp ÷ this
   * *(estimate: all-reduce per layer over NVLink costs ≈ 10 %)*. 1 for tp = 1.
   */
  tensorParallelEfficiency: 0.9,
  /**
   * Fraction of HBM usable for weights + KV cache; the rest holds activations, CUDA graphs and
   * fragmentation *(estimate: vLLM's default `gpu_memory_utilization` = 0.9)*.
   */
  hbmUsableFraction: 0.9,
});

/**
 * Built-in GPU profiles keyed by a stable lowercase id (a table without prototype). Sources: NVIDIA datasheets (A100 Tensor
 * Core GPU; H100 Tensor Core GPU, SXM5 column; L40S). HBM sizes are binary: an "80GB" A100/H100
 * carries 80 GiB of HBM (nvidia-smi reports 81 920 MiB on the A100); the L40S carries 48 GiB of
 * GDDR6 (somewhat less usable with ECC on).
 */
export const BUILTIN_GPUS: Readonly<Record<string, GpuProfile>> = nameTable({
  'a100-80gb': Object.freeze({
    name: 'A100-80GB',
    peakFlopsPerNs: 312e3, // datasheet: BF16 tensor core 312 TFLOPS dense (624 with sparsity)
    hbmBytes: bytes(80 * GiB), // 80 GB HBM2e
    hbmBandwidthBytesPerNs: bytesPerNs(2039), // SXM: 2 039 GB/s
    computeEfficiency: CALIBRATED_COMPUTE_EFFICIENCY,
    memoryEfficiency: ESTIMATED_MEMORY_EFFICIENCY,
  }),
  'h100-80gb': Object.freeze({
    name: 'H100-80GB SXM',
    peakFlopsPerNs: 989.4e3, // datasheet: BF16 tensor core 1 979 TFLOPS with sparsity → 989.4 dense
    hbmBytes: bytes(80 * GiB), // 80 GB HBM3
    hbmBandwidthBytesPerNs: bytesPerNs(3350), // 3.35 TB/s
    computeEfficiency: CALIBRATED_COMPUTE_EFFICIENCY, // assumption: A100's calibrated fraction
    memoryEfficiency: ESTIMATED_MEMORY_EFFICIENCY,
  }),
  l40s: Object.freeze({
    name: 'L40S',
    peakFlopsPerNs: 362.05e3, // datasheet: FP16/BF16 tensor core 362.05 TFLOPS dense (733 with sparsity)
    hbmBytes: bytes(48 * GiB), // 48 GB GDDR6 with ECC
    hbmBandwidthBytesPerNs: bytesPerNs(864), // 864 GB/s
    computeEfficiency: CALIBRATED_COMPUTE_EFFICIENCY, // assumption: A100's calibrated fraction
    memoryEfficiency: ESTIMATED_MEMORY_EFFICIENCY,
  }),
});

/** Ids of the built-in GPUs, in table order. */
export const BUILTIN_GPU_IDS: readonly string[] = Object.freeze(Object.keys(BUILTIN_GPUS));

/**
 * The built-in GPU with this id (case-insensitive, so a topology's `A100-80GB` works).
 * @param path - where the id came from in user input, for the error (default: none).
 * @throws InputError (`kv.unknown-gpu`) naming the closest id and listing all ids.
 */
export function getGpu(id: string, path: readonly (string | number)[] = []): GpuProfile {
  return lookupById(BUILTIN_GPUS, id, 'GPU', 'kv.unknown-gpu', path);
}
