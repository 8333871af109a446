/**
 * Progress for long work: a bar (cli-progress) on a terminal; off a terminal (a pipe, a Slurm log,
 * CI) a plain line on stderr every {@link LOG_INTERVAL_MS} with the count, rate and ETA, so long
 * work is never silent. Nothing goes to stdout, so results stay byte-identical; `--json` runs
 * (enabled = false) stay quiet on both.
 */
import cliProgress from 'cli-progress';
import { isQuiet } from './output.ts';

/** A progress sink: `update(done, total)` as work advances, `stop()` when finished. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A bar on stderr when it is a terminal and the work is worth a bar, otherwise a no-op.
 * @param label what is being done, e.g. "all-pairs RPC"
 * @param total units of work expected
 */
export function progressBar(label: string, total: number, enabled = true): Progress {
  if (!enabled || total < 2 || isQuiet()) return silent;
  if (process.stderr.isTTY !== true) return logLines(label);
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done, t) => {
      bar.setTotal(t);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

/**
 * Seconds between progress lines off a terminal (estimate: often enough for a person tailing a
 * log, rare enough not to flood it); `PODSIM_PROGRESS_INTERVAL_MS` overrides it (tests use 0).
 */
export const LOG_INTERVAL_MS = 10_000;

const seconds = (ms: number): string =>
  ms < 60_000
    ? `${Math.round(ms / 1000)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** Plain progress lines on stderr: `podsim: <label>: 40/96 (42 %), 3.1/s, ETA 18 s`. */
function logLines(label: string): Progress {
  const env = Number(process.env['PODSIM_PROGRESS_INTERVAL_MS']);
  const interval = Number.isFinite(env) && env >= 0 ? env : LOG_INTERVAL_MS;
  const t0 = performance.now();
  let last = t0;
  return {
    update: (done, total) => {
      const now = performance.now();
      if (now - last < interval || done >= total || total <= 0) return;
      last = now;
      const rate = done / Math.max(1e-9, (now - t0) / 1000);
      const eta = rate > 0 ? ((total - done) / rate) * 1000 : Number.NaN;
      process.stderr.write(
        `podsim: ${label}: ${done}/${total} (${Math.floor((done / total) * 100)} %), ${rate.toFixed(rate < 10 ? 1 : 0)}/s${Number.isFinite(eta) ? `, ETA ${seconds(eta)}` : ''}\n`,
      );
    },
    stop: () => undefined,
  };
}
