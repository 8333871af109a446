/**
 * The cost catalogue: every price podsim uses to put dollars on a topology's bill of materials,
 * in one frozen, commented place (docs/design.md convention §9), and the one step that turns a user's partial
 * overrides into a resolved catalogue (docs/design.md convention §3).
 *
 * The structure follows Octopus's cost model (docs/references.md §1, structure only): a pod costs its
 * MHDs + cables (+ retimers) + switches, and an MHD's cost grows with its port count (die area).
 * Every figure has a row in docs/costs.md — its value, and a public source with a date or an
 * *(estimate)* with its reasoning; the comments below cite that row's section. **No prices for
 * MHDs, CXL memory devices, CXL switches or CXL cables have been published**: those figures are
 * estimates derived from one per-port silicon law (docs/costs.md §3), so an MHD port and a switch
 * port are priced on the same basis. Every figure is overridable; results that depend on them
 * must be read as "under these assumptions", never as quotes.
 *
 * Overrides (from a file, a flag or code) use the catalogue's keys **without** their `Usd` token
 * and give money as unit strings, like topology `components:` ("the unit goes in the value, not
 * the key"): `{ serverBase: "$35,000", generalServerBase: "$3,000", dramPerGiB: "$3.50",
 * gpu: { "A100-80GB": "$12,000" }, mhdPortExponent: 1 }`. A bare number for money is refused
 * (`1200` — dollars? cents?), as everywhere in podsim.
 */
import { closest, InputError, UnitError, type Issue } from '../errors/index.ts';
import { parseMoney, usd, type Usd } from '../units/index.ts';

/** Every price of the cost model, resolved: USD amounts (unit in each name) and one exponent. */
export interface CostCatalogue {
  /** One GPU server (two-socket chassis, CPUs, board, power, storage) without its GPUs and DRAM, whatever its socket count; prices every host that has a GPU. */
  readonly serverBaseUsd: Usd;
  /** One general-purpose cloud server (two sockets, no GPU) without its DRAM; prices every host that has no GPU. */
  readonly generalServerBaseUsd: Usd;
  /** Price of one GPU, by GPU model name (matched case-insensitively against the topology's GPU `model`). */
  readonly gpuUsd: Readonly<Record<string, Usd>>;
  /** Server DRAM (DDR5 RDIMM) per GiB; prices host DRAM and the DRAM inside CXL memory devices. */
  readonly dramUsdPerGiB: Usd;
  /** Fixed part of a multi-headed device (controller, board, enclosure), without DRAM. */
  readonly mhdBaseUsd: Usd;
  /** Per-port part of an MHD: the device costs `mhdBaseUsd + mhdUsdPerPort × ports^mhdPortExponent`. */
  readonly mhdUsdPerPort: Usd;
  /** How fast MHD cost grows with ports (1 = linear; > 1 = superlinear, as die area grows with ports). Dimensionless. */
  readonly mhdPortExponent: number;
  /** One single-headed CXL memory device (behind a switch) without its DRAM. */
  readonly memoryDeviceUsd: Usd;
  /** CXL switch, per port (a switch costs `ports × cxlSwitchUsdPerPort`, used or not). */
  readonly cxlSwitchUsdPerPort: Usd;
  /** One retimer on a CXL cable (counted from each CXL link's `retimers`). */
  readonly retimerUsd: Usd;
  /** Fixed part of one CXL cable (connectors, assembly). */
  readonly cxlCableBaseUsd: Usd;
  /** Length part of one CXL cable, per metre. */
  readonly cxlCableUsdPerM: Usd;
  /** RDMA NIC per 100 Gb/s of line rate (a 400 Gb/s NIC costs 4 ×). */
  readonly nicUsdPer100Gbps: Usd;
  /** Top-of-rack switch, per port (a switch costs `ports × torUsdPerPort`, used or not). */
  readonly torUsdPerPort: Usd;
  /** Spine switch, per port. */
  readonly spineUsdPerPort: Usd;
  /** One Ethernet/InfiniBand cable (NIC–ToR or ToR–spine), any length. */
  readonly networkCableUsd: Usd;
}

/**
 * The default prices, frozen. Change a figure only with a source, and change its row in
 * docs/costs.md with it; docs/costs.md §8 gives the low–high range of each for sensitivity runs.
 */
export const DEFAULT_COST_CATALOGUE: CostCatalogue = Object.freeze({
  // (estimate) 2-socket HGX-class GPU server without GPUs and DRAM: two server CPUs, board,
  // NVSwitch baseboard, PSUs, NVMe, chassis — public list-price ballpark (docs/costs.md §1).
  serverBaseUsd: usd(40_000),
  // (derived) Pond (ASPLOS '23): DRAM is about half of a cloud server's cost, so a GPU-less
  // server without DRAM costs what its default 512 GiB of DRAM costs: 512 × $4 (docs/costs.md §1).
  generalServerBaseUsd: usd(2_048),
  gpuUsd: Object.freeze({
    'A100-80GB': usd(15_000), // (estimate) widely reported street price $10–20k, 2023 (docs/costs.md §1)
    'H100-80GB': usd(30_000), // (estimate) widely reported street price $25–40k, 2023–2024 (docs/costs.md §1)
    L40S: usd(8_000), // (estimate) widely reported street price $7–10k, 2024 (docs/costs.md §1)
  }),
  dramUsdPerGiB: usd(4), // DDR5 RDIMM street price ≈ $250 per 64 GB module, 2024 (docs/costs.md §2)
  mhdBaseUsd: usd(600), // (estimate) DDR5 controller half of the die, board, power, sled share (docs/costs.md §3)
  mhdUsdPerPort: usd(100), // (estimate) one CXL x8 port's PHY + controller + connector, anchored on a PCIe 5 x8 retimer's ≈ $36 (docs/costs.md §3)
  mhdPortExponent: 1.2, // (estimate) cost per good die grows faster than area (yield), Octopus's argument for small MHDs (docs/costs.md §3)
  memoryDeviceUsd: usd(700), // (derived) a single-headed expander is a 1-port MHD: $600 + $100 × 1^1.2 (docs/costs.md §3)
  cxlSwitchUsdPerPort: usd(300), // (derived) the port law at 32 ports, $100 × 32^0.2 = $200, + $100/port enclosure (docs/costs.md §4)
  retimerUsd: usd(100), // (estimate) PCIe 5 x8 retimer chip ≈ $36 (industry estimate) + its board, power and clock (docs/costs.md §5)
  cxlCableBaseUsd: usd(100), // (estimate) PCIe 5 x8 external copper cable assembly, connectors (docs/costs.md §5)
  cxlCableUsdPerM: usd(50), // (estimate) length part of the same cable (docs/costs.md §5)
  nicUsdPer100Gbps: usd(600), // (estimate) ConnectX-class list ballpark: 200 Gb/s ≈ $1,200 (docs/costs.md §6)
  torUsdPerPort: usd(600), // (estimate) 64-port 400G Ethernet/NDR InfiniBand switch ≈ $35–40k list (docs/costs.md §6)
  spineUsdPerPort: usd(600), // (estimate) same switch silicon as the ToR (docs/costs.md §6)
  networkCableUsd: usd(500), // (estimate) 200/400 Gb/s DAC/AOC cable ballpark (docs/costs.md §6)
});

/** The override key of a catalogue key: the key without its `Usd` token (`dramUsdPerGiB` → `dramPerGiB`, `gpuUsd` → `gpu`). */
export function overrideKeyOf(key: keyof CostCatalogue): string {
  return key.replace('Usd', '');
}

/** Override keys (what files and flags write) → catalogue keys, in catalogue order. */
export const CATALOGUE_OVERRIDE_KEYS: Readonly<Record<string, keyof CostCatalogue>> = Object.freeze(
  Object.fromEntries(
    (Object.keys(DEFAULT_COST_CATALOGUE) as (keyof CostCatalogue)[]).map((k) => [
      overrideKeyOf(k),
      k,
    ]),
  ),
);

/** Smallest and largest MHD port exponent accepted (cost must grow with ports; beyond 3 is not a plausible die-area law). */
export const MHD_PORT_EXPONENT_RANGE = Object.freeze({ min: 0.5, max: 3 });

/** Raw overrides as written in a file or passed by code: override keys, money strings, the exponent as a number. */
export type CatalogueOverrides = Readonly<Record<string, unknown>>;

/** Largest price of one item in a catalogue, USD: far above any server, switch or GPU. */
export const MAX_PRICE_USD = 1e9;

/** Parses one money value; pushes an issue and returns undefined when it is not one. */
function money(
  value: unknown,
  path: readonly (string | number)[],
  issues: Issue[],
): Usd | undefined {
  if (typeof value === 'string' && value.trim().startsWith('-')) {
    issues.push({
      code: 'input.range',
      path,
      message: `"${value}" is negative; prices must be ≥ $0`,
    });
    return undefined;
  }
  try {
    const price = parseMoney(value as string, path);
    if (!Number.isFinite(price) || price > MAX_PRICE_USD) {
      issues.push({
        code: 'input.range',
        path,
        message: `${JSON.stringify(value)} is out of range: a price must be a finite amount up to $1,000,000,000 (docs/limits.md; above any one component's price)`,
      });
      return undefined;
    }
    return price;
  } catch (e) {
    if (e instanceof UnitError) {
      issues.push(...e.issues);
      return undefined;
    }
    throw e;
  }
}

function describeValue(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

/** The issue for a price key the catalogue does not know, with the likeliest fix. */
function unknownPrice(key: string, at: (string | number)[], allowed: readonly string[]): Issue {
  const near = closest(key, allowed);
  const hint = Object.hasOwn(DEFAULT_COST_CATALOGUE, key)
    ? `; write \`${overrideKeyOf(key as keyof CostCatalogue)}\` with a money string (the unit goes in the value, not the key)`
    : near === undefined
      ? `; known keys: ${allowed.join(', ')}`
      : `; did you mean "${near}"?`;
  return { code: 'input.unknown-key', path: at, message: `unknown price "${key}"${hint}` };
}

/** The MHD port exponent: a plain number within {@link MHD_PORT_EXPONENT_RANGE}, or undefined with an issue. */
function exponent(
  key: string,
  value: unknown,
  at: (string | number)[],
  issues: Issue[],
): number | undefined {
  const { min, max } = MHD_PORT_EXPONENT_RANGE;
  if (typeof value !== 'number' || !Number.isFinite(value))
    issues.push({
      code: 'input.type',
      path: at,
      message: `${key} must be a plain number (dimensionless), got ${describeValue(value)}`,
    });
  else if (value < min || value > max)
    issues.push({
      code: 'input.range',
      path: at,
      message: `${key} must be within ${min}–${max}, got ${value}`,
    });
  else return value;
  return undefined;
}

/** Per-GPU-model prices: appends each valid (model, price) to `gpu`, an issue for each bad one. */
function gpuPrices(
  key: string,
  value: unknown,
  at: (string | number)[],
  issues: Issue[],
  gpu: [string, Usd][],
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({
      code: 'input.type',
      path: at,
      message: `${key} must map GPU model names to prices, e.g. { "A100-80GB": "$15,000" }; got ${describeValue(value)}`,
    });
    return;
  }
  for (const [model, price] of Object.entries(value as Record<string, unknown>)) {
    if (model.trim() === '') {
      issues.push({
        code: 'input.type',
        path: [...at, model],
        message: 'GPU model names must be non-empty',
      });
      continue;
    }
    const p = money(price, [...at, model], issues);
    if (p !== undefined) gpu.push([model, p]);
  }
}

/** Validates and parses; `partial` holds only the fields that parsed. */
function parseOverrides(
  raw: unknown,
  path: readonly (string | number)[],
): {
  issues: Issue[];
  partial: Partial<Record<keyof CostCatalogue, unknown>>;
  gpu: [string, Usd][];
} {
  const issues: Issue[] = [];
  const partial: Partial<Record<keyof CostCatalogue, unknown>> = {};
  const gpu: [string, Usd][] = [];
  if (raw === undefined) return { issues, partial, gpu };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    issues.push({
      code: 'input.type',
      path,
      message: `expected a mapping of price overrides, got ${describeValue(raw)}`,
    });
    return { issues, partial, gpu };
  }
  const allowed = Object.keys(CATALOGUE_OVERRIDE_KEYS);
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const at = [...path, key];
    const target = CATALOGUE_OVERRIDE_KEYS[key];
    if (target === undefined) {
      issues.push(unknownPrice(key, at, allowed));
      continue;
    }
    if (target === 'mhdPortExponent') {
      const e = exponent(key, value, at, issues);
      if (e !== undefined) partial[target] = e;
      continue;
    }
    if (target === 'gpuUsd') {
      gpuPrices(key, value, at, issues, gpu);
      continue;
    }
    const p = money(value, at, issues);
    if (p !== undefined) partial[target] = p;
  }
  return { issues, partial, gpu };
}

/**
 * Checks raw price overrides and returns every problem, each with a code and a path under
 * `path`; `[]` means {@link resolveCatalogue} accepts them. Never throws for bad data.
 *
 * Codes: `input.type` (not a mapping; exponent not a number; `gpu` not a mapping),
 * `input.unknown-key` (with "did you mean"), `unit.invalid` (not a money string, including bare
 * numbers), `input.range` (negative price; exponent out of {@link MHD_PORT_EXPONENT_RANGE}).
 * @param raw - the overrides, e.g. `{ serverBase: "$35,000", gpu: { "H100-80GB": "$28,000" } }`.
 * @param path - where the overrides sit in the input, e.g. `['cost']`.
 */
export function validateCatalogue(raw: unknown, path: readonly (string | number)[] = []): Issue[] {
  return parseOverrides(raw, path).issues;
}

/**
 * Merges partial price overrides over {@link DEFAULT_COST_CATALOGUE} into a resolved, frozen
 * catalogue. GPU prices merge per model (an override for `a100-80gb` replaces `A100-80GB`;
 * a new model is added).
 * @param overrides - raw overrides (see the file header); absent = the defaults.
 * @param path - where the overrides sit in the input, for the issues.
 * @param file - the file they came from, for the error message.
 * @throws InputError carrying every issue {@link validateCatalogue} finds.
 * @example resolveCatalogue({ dramPerGiB: '$3.50' }).dramUsdPerGiB // 3.5
 */
export function resolveCatalogue(
  overrides: unknown = {},
  path: readonly (string | number)[] = [],
  file?: string,
): CostCatalogue {
  const { issues, partial, gpu } = parseOverrides(overrides, path);
  if (issues.length > 0) throw new InputError(issues, file);
  const gpuUsd: Record<string, Usd> = { ...DEFAULT_COST_CATALOGUE.gpuUsd };
  for (const [model, price] of gpu) {
    const existing = Object.keys(gpuUsd).find((k) => k.toLowerCase() === model.toLowerCase());
    gpuUsd[existing ?? model] = price;
  }
  const resolved: Record<string, unknown> = {
    ...DEFAULT_COST_CATALOGUE,
    ...partial,
    gpuUsd: Object.freeze(gpuUsd),
  };
  return Object.freeze(resolved) as unknown as CostCatalogue;
}
