/**
 * GPU profiles for the compute model (docs/design.md "GPU compute", docs/compute.md), in one
 * frozen, commented place (docs/design.md convention §9). Peak figures are dense (no structured
 * sparsity) bf16 tensor-core throughput, HBM size and bandwidth and the host link, from NVIDIA's
 * datasheets (docs/references.md §8). The per-operator efficiencies of the A100 are fitted on
 * published prefill and decode times (`src/kv/compute-fit.ts`, docs/compute.md "The fit"); the
 * Hopper attention efficiency is FlashAttention-2's published H100 throughput; the rest are
 * estimates and say so.
 */
import { bytes, bytesPerNs, GiB, type Bytes, type BytesPerNs } from '../units/index.ts';
import { lookupById, nameTable } from './lookup.ts';

/** PCIe generation of a GPU's host link (x16): 4 = 16 GT/s, 5 = 32 GT/s, 6 = 64 GT/s per lane. */
export type PcieGeneration = 4 | 5 | 6;

/**
 * How the GPU reaches its host CPU and host memory: `pcie` (an x16 PCIe link of
 * `pcieGeneration`), or `nvlink-c2c` (Grace Hopper / Grace Blackwell: a coherent 900 GB/s
 * chip-to-chip link to the Grace CPU's memory; the PCIe generation is then that of the
 * superchip's PCIe lanes to NICs and devices).
 */
export type GpuHostLink = 'pcie' | 'nvlink-c2c';

/** Throughput, memory and host link of one GPU model, resolved. */
export interface GpuProfile {
  /** Display name, e.g. `A100-80GB`. */
  readonly name: string;
  /** Peak dense bf16/fp16 tensor-core throughput, FLOPs per ns (1 FLOP/ns = 1 GFLOP/s; 312 TFLOP/s = 312 000). */
  readonly peakFlopsPerNs: number;
  /** HBM (device memory) capacity. */
  readonly hbmBytes: Bytes;
  /** Peak HBM bandwidth (bytes/ns = GB/s decimal). */
  readonly hbmBandwidthBytesPerNs: BytesPerNs;
  /** Fraction of `peakFlopsPerNs` the weight GEMMs (QKV, O, MLP/experts, LM head) reach when compute-bound. */
  readonly gemmEfficiency: number;
  /** Fraction of `peakFlopsPerNs` prefill attention (FlashAttention-style, causal) reaches when compute-bound. */
  readonly attentionEfficiency: number;
  /** Fraction of `hbmBandwidthBytesPerNs` memory-bound operators reach (weight reads, KV reads and writes, elementwise). */
  readonly memoryEfficiency: number;
  /** Fixed cost per layer per forward pass (kernel launches, scheduling), ns; paid once per layer by a prefill and by a decode step. */
  readonly layerOverheadNs: number;
  /** PCIe generation of the GPU's x16 host link; the hardware checks match it against a topology's GPU link. */
  readonly pcieGeneration: PcieGeneration;
  /** The GPU's link to its host CPU and memory. */
  readonly hostLink: GpuHostLink;
}

/**
 * The published measurement the old one-efficiency model was calibrated on, kept as one of the
 * calibration points (docs/references.md §3 "Motivating numbers"): Llama-3.1-8B on one A100, a
 * 40 K-token prefill takes ≈ 4 s.
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
 * The A100's per-operator efficiencies, FITTED (not guessed) by `fitOperatorEfficiencies` in
 * `src/kv/compute-fit.ts` on the nine A100 points of docs/references.md §8 (Vidur's prefill at
 * 1 K / 4 K / 10 K tokens without its KV-save term, DroidSpeak's 40 K ≈ 4 s, Vidur's decode
 * steps at 4 K × batch 1/32/64 and 10 K × batch 1/32): the fit minimises the largest
 * |ln(model ÷ published)|; `test/kv/compute-calibration.test.ts` re-runs it and checks these values.
 * Derivation and residuals: docs/compute.md "The fit".
 */
export const A100_FITTED_EFFICIENCIES = Object.freeze({
  /** Above Vidur's profiled 63–70 % (docs/references.md §5): the 40 K point's long GEMMs run faster than Vidur's short ones. */
  gemmEfficiency: 0.73,
  /** At its bound: FlashAttention-2's best forward on an A100 (73 %, docs/references.md §8); the 40 K point needs it. */
  attentionEfficiency: 0.73,
  /** 1.69 TB/s of 2.039: near the ≈ 77 % of a vLLM batch-1 sweep and Vidur's ≈ 1.6 TB/s decode attention (§5). */
  memoryEfficiency: 0.83,
  /** 92 µs per layer, 2.9 ms per 32-layer pass: launches and scheduling the step times carry beyond the bandwidth. */
  layerOverheadNs: 92_000,
});

/**
 * FlashAttention-2's forward throughput on an H100 SXM5 (bf16, head dim 128, 4 K–16 K tokens):
 * ≈ 370 TFLOP/s of 989.4 TFLOP/s dense peak (FlashAttention-3 paper, Figure "Attention forward
 * speed, head dim 128 (H100 80GB SXM5)"; docs/references.md §8). vLLM runs FlashAttention-2 on
 * Hopper, so the Hopper GPUs use this fraction for prefill attention.
 */
export const HOPPER_ATTENTION_EFFICIENCY = 370 / 989.4;

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
 * The A100's fitted efficiencies applied to another GPU *(estimate: no published per-operator
 * profile of that GPU; a GEMM, a bandwidth-bound kernel and a launch reach about the same
 * fraction of the hardware's roofs from one generation to the next)*, with `attentionEfficiency`
 * replaced where a published figure exists.
 */
function estimatedFromA100(
  attentionEfficiency: number,
): Omit<
  GpuProfile,
  'name' | 'peakFlopsPerNs' | 'hbmBytes' | 'hbmBandwidthBytesPerNs' | 'pcieGeneration' | 'hostLink'
> {
  return { ...A100_FITTED_EFFICIENCIES, attentionEfficiency };
}

/**
 * Built-in GPU profiles keyed by a stable lowercase id (a table without prototype). Sources
 * (docs/references.md §8): NVIDIA datasheets — A100 Tensor Core GPU (SXM column), H100 Tensor
 * Core GPU (SXM5 column), H200 Tensor Core GPU (SXM column), HGX B200 (per GPU, 1 000 W),
 * GH200 Grace Hopper Superchip, L40S. HBM sizes: an "80GB" A100/H100 carries 80 GiB
 * (nvidia-smi reports 81 920 MiB); a B200 reports 179 GiB usable of its 180 GB; the H200's and
 * GH200's are the datasheets' decimal figures.
 */
export const BUILTIN_GPUS: Readonly<Record<string, GpuProfile>> = nameTable({
  'a100-80gb': Object.freeze({
    name: 'A100-80GB',
    peakFlopsPerNs: 312e3, // datasheet: BF16 tensor core 312 TFLOPS dense (624 with sparsity)
    hbmBytes: bytes(80 * GiB), // 80 GB HBM2e
    hbmBandwidthBytesPerNs: bytesPerNs(2039), // SXM: 2 039 GB/s
    ...A100_FITTED_EFFICIENCIES,
    pcieGeneration: 4, // datasheet: PCIe Gen4 64 GB/s
    hostLink: 'pcie',
  }),
  'h100-80gb': Object.freeze({
    name: 'H100-80GB SXM',
    peakFlopsPerNs: 989.4e3, // datasheet: BF16 tensor core 1 979 TFLOPS with sparsity → 989.4 dense
    hbmBytes: bytes(80 * GiB), // 80 GB HBM3
    hbmBandwidthBytesPerNs: bytesPerNs(3350), // 3.35 TB/s
    ...estimatedFromA100(HOPPER_ATTENTION_EFFICIENCY),
    pcieGeneration: 5, // datasheet: PCIe Gen5 128 GB/s
    hostLink: 'pcie',
  }),
  h200: Object.freeze({
    name: 'H200 SXM',
    peakFlopsPerNs: 989.4e3, // datasheet: same Hopper die as the H100 SXM (1 979 TFLOPS BF16 with sparsity)
    hbmBytes: bytes(141e9), // datasheet: 141 GB HBM3e
    hbmBandwidthBytesPerNs: bytesPerNs(4800), // 4.8 TB/s
    ...estimatedFromA100(HOPPER_ATTENTION_EFFICIENCY),
    pcieGeneration: 5, // datasheet: PCIe Gen5 128 GB/s
    hostLink: 'pcie',
  }),
  gh200: Object.freeze({
    name: 'GH200 (H100 96GB)',
    peakFlopsPerNs: 989.4e3, // datasheet: the H100's Hopper die (1 979 TFLOPS FP16/BF16 with sparsity)
    hbmBytes: bytes(96e9), // datasheet: 96 GB HBM3
    hbmBandwidthBytesPerNs: bytesPerNs(4000), // 4 TB/s
    ...estimatedFromA100(HOPPER_ATTENTION_EFFICIENCY),
    pcieGeneration: 5, // datasheet: the superchip's PCIe Gen5 lanes
    hostLink: 'nvlink-c2c', // datasheet: NVLink-C2C 900 GB/s to the Grace CPU's LPDDR5X
  }),
  b200: Object.freeze({
    name: 'B200 (HGX)',
    peakFlopsPerNs: 2250e3, // HGX B200 (1 000 W): BF16 tensor core 2.25 PFLOPS dense (4.5 with sparsity)
    hbmBytes: bytes(179 * GiB), // 180 GB HBM3e; nvidia-smi reports 179 GiB usable
    hbmBandwidthBytesPerNs: bytesPerNs(8000), // 8 TB/s
    ...estimatedFromA100(HOPPER_ATTENTION_EFFICIENCY), // estimate: no published Blackwell attention figure; Hopper's FA2 fraction
    pcieGeneration: 6, // Blackwell's host interface: PCIe Gen6 x16 (256 GB/s)
    hostLink: 'pcie',
  }),
  l40s: Object.freeze({
    name: 'L40S',
    peakFlopsPerNs: 362.05e3, // datasheet: FP16/BF16 tensor core 362.05 TFLOPS dense (733 with sparsity)
    hbmBytes: bytes(48 * GiB), // 48 GB GDDR6 with ECC
    hbmBandwidthBytesPerNs: bytesPerNs(864), // 864 GB/s
    ...estimatedFromA100(A100_FITTED_EFFICIENCIES.attentionEfficiency),
    pcieGeneration: 4, // datasheet: PCIe Gen4 x16 64 GB/s
    hostLink: 'pcie',
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
