/**
 * Progress bars for long work (cli-progress), shown on a terminal only: piped or redirected
 * output, CI and `--json` runs get no bar, so results stay byte-identical.
 */
import cliProgress from 'cli-progress';

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
  if (!enabled || process.stderr.isTTY !== true || total < 2) return silent;
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
