/**
 * Human formatting of canonical quantities for tables and reports: picks a readable unit
 * (ns → µs → ms → s; B → KiB … or kB …; B/ns shown as GB/s) and a fixed number of significant
 * digits so columns line up and output is deterministic.
 */
import type { Bytes, BytesPerNs, Metres, Nanoseconds, Usd } from './quantity.ts';

function sig(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '-∞' : 'n/a';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return value.toFixed(Math.min(decimals, 6));
}

/** `1234 ns` → `"1.23 µs"`. */
export function formatTime(t: Nanoseconds, digits = 3): string {
  const a = Math.abs(t);
  if (!Number.isFinite(a)) return sig(t);
  if (a < 1e3) return `${sig(t, digits)} ns`;
  if (a < 1e6) return `${sig(t / 1e3, digits)} µs`;
  if (a < 1e9) return `${sig(t / 1e6, digits)} ms`;
  return `${sig(t / 1e9, digits)} s`;
}

/** Binary prefixes by default (`"512 GiB"`); `decimal: true` gives `"1.43 GB"`. */
export function formatSize(b: Bytes, options: { decimal?: boolean; digits?: number } = {}): string {
  const base = options.decimal === true ? 1000 : 1024;
  const units =
    options.decimal === true
      ? ['B', 'kB', 'MB', 'GB', 'TB', 'PB']
      : ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v: number = b;
  let i = 0;
  while (Math.abs(v) >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${sig(v, options.digits ?? 3)} ${units[i]}`;
}

/** Bytes/ns shown in GB/s (decimal), the unit datasheets use. */
export function formatBandwidth(bw: BytesPerNs, digits = 3): string {
  return `${sig(bw, digits)} GB/s`;
}

/** `1.5` → `"1.5 m"`. */
export function formatLength(l: Metres, digits = 3): string {
  return `${sig(l, digits)} m`;
}

/** `1234.5` → `"$1,235"`. */
export function formatMoney(m: Usd): string {
  const rounded = Math.round(m);
  return `${rounded < 0 ? '-' : ''}$${Math.abs(rounded).toLocaleString('en-US')}`;
}

/** Plain number with `digits` significant digits, for ratios and fractions. */
export function formatNumber(value: number, digits = 3): string {
  return sig(value, digits);
}

/**
 * `0.98765` with 2 decimals → `"98.77 %"`: a fixed number of decimals, for columns that line up,
 * but never rounded across 0 % or 100 % (0.99996 → `"99.996 %"`, not `"100.00 %"`; −0.00001 →
 * `"-0.001 %"`, not `"-0.00 %"`): more decimals where needed, up to 6.
 */
export function formatPercentFixed(fraction: number, decimals = 2): string {
  if (!Number.isFinite(fraction)) return `${sig(fraction * 100)} %`;
  const v = fraction * 100;
  const crosses = (t: string): boolean =>
    (v !== 0 && Number(t) === 0) || (Math.abs(v) < 100 && Math.abs(Number(t)) >= 100);
  let d = decimals;
  let text = v.toFixed(d);
  while (d < 6 && crosses(text)) text = v.toFixed(++d);
  return `${text} %`;
}

/**
 * `0.4567` → `"45.7 %"`. Never rounds across 0 % or 100 %: a share below one that would show as
 * "100" (0.9995 → "99.95 %") or a positive share that would show as "0" gets more digits, so "100 %"
 * means every request and "0 %" none (an SLO table must not say 100 % when one request missed).
 */
export function formatPercent(fraction: number, digits = 3): string {
  const v = fraction * 100;
  let d = digits;
  let text = sig(v, d);
  while (d < 9 && ((v < 100 && Number(text) >= 100) || (v > 0 && Number(text) <= 0))) {
    d++;
    text = sig(v, d);
  }
  if (v < 100 && Number(text) >= 100) return '< 100 %';
  if (v > 0 && Number(text) <= 0) return '> 0 %';
  return `${text} %`;
}
