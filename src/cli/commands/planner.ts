/**
 * `podsim explain`: how each planner policy would serve one request on a topology — the options
 * with estimated fetch, recompute and TTFT, and every policy's choice. Flags and the request
 * JSON are parsed here; `planner/explain.ts` does the work; `report/planner.ts` renders.
 */
import type { Argv, CommandModule } from 'yargs';
import { InputError, LimitError, PodsimError, type Issue } from '../../errors/index.ts';
import { LIMITS } from '../../errors/limits.ts';
import { compileFabric } from '../../fabric/compile.ts';
import { loadScenario, loadTopology } from '../../io/index.ts';
import { explainRequest, type ExplainRequest } from '../../planner/explain.ts';
import { explainTables } from '../../report/planner.ts';
import { parseTime } from '../../units/index.ts';
import {
  chosenFormat,
  failOption,
  formatOptions,
  integerFlag,
  parseFailures,
  type FormatArgs,
} from '../flags.ts';
import { emit, omitNonFinite } from '../output.ts';

interface ExplainArgs extends FormatArgs {
  scenario: string;
  topology: string;
  request: string;
  sender?: string;
  producer?: string;
  exact?: boolean;
  queue: string;
  behind?: string;
  slo?: string;
  all?: boolean;
  fail?: string;
}

/** The longest `--queue`: far above any real GPU's queue (a few hundred requests at most). */
const MAX_QUEUE = 1_000_000;

const REQUEST_KEYS = ['variant', 'context', 'tokens', 'suffixTokens', 'host'] as const;

/** Parses `--request '{"variant": …, "tokens": …, "host": …}'`, every problem at once. */
function parseRequest(text: string): {
  variant: string;
  context: string;
  tokens: number;
  suffixTokens: number;
  host: string;
} {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError([
      {
        code: 'cli.request',
        path: ['--request'],
        message: `not JSON (${(e as Error).message}); e.g. '{"variant": "evolcode", "tokens": 10933, "host": "h0"}'`,
      },
    ]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError([
      {
        code: 'cli.request',
        path: ['--request'],
        message: 'expected a JSON object {variant, tokens, host, context?, suffixTokens?}',
      },
    ]);
  const o = raw as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const k of Object.keys(o))
    if (!(REQUEST_KEYS as readonly string[]).includes(k))
      issues.push({
        code: 'input.unknown-key',
        path: ['--request', k],
        message: `unknown key; allowed: ${REQUEST_KEYS.join(', ')}`,
      });
  for (const k of ['variant', 'host'] as const)
    if (typeof o[k] !== 'string' || o[k] === '')
      issues.push({
        code: 'input.required',
        path: ['--request', k],
        message: `expected a non-empty string, got ${JSON.stringify(o[k])}`,
      });
  if (o['context'] !== undefined && typeof o['context'] !== 'string')
    issues.push({
      code: 'input.type',
      path: ['--request', 'context'],
      message: `expected a string, got ${JSON.stringify(o['context'])}`,
    });
  for (const k of ['tokens', 'suffixTokens'] as const) {
    const v = o[k];
    if (
      (k === 'tokens' || v !== undefined) &&
      (typeof v !== 'number' || !Number.isInteger(v) || v < (k === 'tokens' ? 1 : 0))
    )
      issues.push({
        code: 'input.integer',
        path: ['--request', k],
        message: `expected a whole number ≥ ${k === 'tokens' ? 1 : 0} (tokens), got ${JSON.stringify(v)}`,
      });
  }
  if (issues.length > 0) throw new InputError(issues);
  const total = (o['tokens'] as number) + ((o['suffixTokens'] as number | undefined) ?? 0);
  if (total > LIMITS.tokensPerRequest)
    throw new LimitError([
      {
        code: 'limit.tokens',
        path: ['--request', 'tokens'],
        message: `${total.toLocaleString('en-US')} tokens in one request, above the limit of ${LIMITS.tokensPerRequest.toLocaleString('en-US')} (limit tokensPerRequest, docs/limits.md: above every model's context window)`,
      },
    ]);
  return {
    variant: o['variant'] as string,
    context: (o['context'] as string | undefined) ?? 'c0',
    tokens: o['tokens'] as number,
    suffixTokens: (o['suffixTokens'] as number | undefined) ?? 0,
    host: o['host'] as string,
  };
}

/** Parses `--behind`: a number of requests, fractions allowed (an expectation), 0 … {@link MAX_QUEUE}. */
function behindFlag(text: string): number {
  const v = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v) || v < 0 || v > MAX_QUEUE)
    throw new InputError([
      {
        code: 'cli.behind',
        path: ['--behind'],
        message: `expected a number of requests from 0 to ${MAX_QUEUE.toLocaleString('en-US')} (fractions allowed: an expected count), got "${text}"`,
      },
    ]);
  return v;
}

const explain: CommandModule<object, ExplainArgs> = {
  command: 'explain <scenario>',
  describe:
    "Every option the reuse planner weighs for one request (fetch, recompute, TTFT, quality loss) and each policy's choice",
  builder: (y) =>
    failOption(
      formatOptions(y)
        .positional('scenario', {
          type: 'string',
          demandOption: true,
          describe: 'scenario file or preset name (podsim explain droidspeak-8b …)',
        })
        .option('topology', {
          type: 'string',
          demandOption: true,
          describe: 'topology file or preset name',
        })
        .option('request', {
          type: 'string',
          demandOption: true,
          describe: 'JSON: {variant, tokens, host, context?, suffixTokens?}',
        })
        .option('sender', {
          type: 'string',
          describe:
            'comma-separated variants whose cache of the context exists (default: every variant with a pair profile towards the request’s)',
        })
        .option('producer', {
          type: 'string',
          describe:
            'host that produced the cached copies (default: the next host after the request’s)',
        })
        .option('exact', {
          type: 'boolean',
          describe: 'the request’s own variant has cached the context too',
        })
        .option('queue', {
          type: 'string',
          default: '0',
          describe: `requests queued at the GPU (DroidSpeak’s queue-aware rule): 0 … ${MAX_QUEUE.toLocaleString('en-US')}`,
        })
        .option('behind', {
          type: 'string',
          describe: `requests expected to wait behind this one’s GPU work, charged in fabric-aware’s system cost (TTFT + GPU work × behind): a number 0 … ${MAX_QUEUE.toLocaleString('en-US')} (default: --queue)`,
        })
        .option('slo', {
          type: 'string',
          describe: 'TTFT SLO for DroidSpeak’s idle-queue rule, e.g. "3 s"',
        })
        .option('all', { type: 'boolean', describe: 'list every option, not the 15 fastest' }),
    )
      .example(
        '$0 explain droidspeak-8b --topology octopus-96 --request \'{"variant": "evolcode", "tokens": 10933, "host": "h0"}\'',
        'reuse toolace’s cache from the pod, or recompute?',
      )
      .example(
        '$0 explain droidspeak-8b --topology rdma-96x3 --request \'{"variant": "evolcode", "tokens": 10933, "host": "h0"}\' --queue 4',
        'the same on RDMA racks with a busy GPU',
      )
      .example(
        '$0 explain droidspeak-8b --topology octopus-96 --request \'{"variant": "evolcode", "tokens": 10933, "host": "h0"}\' --exact --behind 9',
        'keep the exact hit or recompute, with 9 requests expected behind (a GPU 90 % busy)?',
      ) as Argv<ExplainArgs>,
  handler: (argv) => {
    const format = chosenFormat(argv);
    const request = parseRequest(argv.request);
    const queueLength = integerFlag(argv.queue, '--queue', 0, MAX_QUEUE, 'requests queued');
    const waitingBehind = argv.behind === undefined ? undefined : behindFlag(argv.behind);
    const { scenario } = loadScenario(argv.scenario);
    const { graph } = loadTopology(argv.topology);
    const f = compileFabric(graph, parseFailures(argv.fail));
    const senders = argv.sender?.split(',').map((x) => x.trim());
    if (senders?.includes(request.variant) === true)
      throw new InputError([
        {
          code: 'cli.sender-self',
          path: ['--sender'],
          message: `"${request.variant}" is the request's own variant; a sender is another variant whose cache the request would reuse (its own cache is an exact hit, --exact)`,
        },
      ]);
    const req: ExplainRequest = {
      ...request,
      ...(senders === undefined ? {} : { senders }),
      ...(argv.producer === undefined ? {} : { producer: argv.producer }),
      exact: argv.exact === true,
      queueLength,
      ...(waitingBehind === undefined ? {} : { waitingBehind }),
      ttftSloNs: argv.slo === undefined ? Number.POSITIVE_INFINITY : parseTime(argv.slo, ['--slo']),
    };
    let e;
    try {
      e = explainRequest(f, scenario, req);
    } catch (err) {
      if (!(err instanceof PodsimError)) throw err;
      // request.x → --request x; host/producer flags by name.
      throw new InputError(
        err.issues.map((i) =>
          i.path[0] === 'request'
            ? {
                ...i,
                path: [
                  i.path[1] === 'senders'
                    ? '--sender'
                    : i.path[1] === 'producer'
                      ? '--producer'
                      : '--request',
                  ...i.path.slice(i.path[1] === 'senders' || i.path[1] === 'producer' ? 2 : 1),
                ],
              }
            : i,
        ),
      );
    }
    const tables = explainTables(e, argv.all === true ? Number.POSITIVE_INFINITY : 15);
    // no --slo: no TTFT SLO (absent from the JSON rather than printed as null)
    emit(format, tables, { ...e, request: omitNonFinite(e.request, ['ttftSloNs']) });
  },
};

/** The planner's commands. */
export const plannerCommands = [explain] as unknown as CommandModule<object, never>[];
