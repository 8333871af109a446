/**
 * `--traffic`, shared by `podsim rpc` and `podsim whatif` (docs/rpc.md "Traffic matrices"): which
 * host pairs send how many RPCs — `uniform`, `local` / `local:F`, or a CSV file of
 * `src,dst,weight` lines (read by src/io/traffic-file.ts against the topology's hosts).
 */
import type { Argv } from 'yargs';
import { InputError } from '../errors/index.ts';
import {
  trafficMatrixOf,
  TRAFFIC_DEFAULTS,
  UNIFORM_TRAFFIC,
  type TrafficMatrix,
} from '../fabric/rpc-traffic.ts';
import { readTrafficFile } from '../io/traffic-file.ts';

/** What `--traffic` takes, for `--help`. */
export const TRAFFIC_DESCRIPTION = `RPC traffic matrix: uniform (every host pair alike), local[:F] (each host sends share F of its RPCs to hosts sharing a device with it, default ${TRAFFIC_DEFAULTS.localShare}), or a CSV file of src,dst,weight lines`;

/** Adds `--traffic` to a command. */
export const trafficOption = <T>(y: Argv<T>): Argv<T & { traffic?: string }> =>
  y.option('traffic', { type: 'string', describe: TRAFFIC_DESCRIPTION }) as Argv<
    T & { traffic?: string }
  >;

/**
 * The matrix `--traffic` names (uniform when not given); a file is read and checked against
 * `hosts`, every host id of the topology.
 * @throws InputError for a bad `local:` share (under `--traffic`) or a bad file (naming the file)
 */
export function parseTraffic(text: string | undefined, hosts: readonly string[]): TrafficMatrix {
  return builtinTraffic(text) ?? readTrafficFile(text ?? '', hosts);
}

/**
 * The built-in matrix `--traffic` names (uniform when not given), or undefined when it names a
 * file — for a command that checks one file against several topologies.
 * @throws InputError for a bad `local:` share or an empty value
 */
export function builtinTraffic(text: string | undefined): TrafficMatrix | undefined {
  if (text?.trim() === '')
    throw new InputError([
      {
        code: 'cli.traffic',
        path: ['--traffic'],
        message:
          'expected uniform, local, local:F with F from 0 to 1, or a CSV file; got an empty value',
      },
    ]);
  return text === undefined ? UNIFORM_TRAFFIC : trafficMatrixOf(text, ['--traffic']);
}
