/**
 * The documented ceilings (docs/limits.md), each checked at load time with a LimitError naming
 * the limit: hosts, devices and links of a topology (generated and explicit), requests and
 * tokens per request of a scenario, Monte Carlo samples of a plan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, LimitError } from '../../src/errors/index.ts';
import { LIMITS } from '../../src/errors/limits.ts';
import { readYaml } from '../../src/io/files.ts';
import { parsePlanText, parseScenarioText, parseTopologyText } from '../../src/io/index.ts';
import { HISTOGRAM_MAX_NS, createMetrics, recordNs } from '../../src/sim/metrics.ts';
import { BASE as SCENARIO } from './scenario-helpers.ts';
import { checkTopologySize, generatedSize } from '../../src/io/topology/size.ts';
import { DEFAULT_COMPONENTS } from '../../src/topology/defaults.ts';
import { thrown, where } from './topology-helpers.ts';

const topo = (text: string) => () => parseTopologyText(text, 't.yaml');

describe('topology size', () => {
  it('a projective-plane design of order 128 is refused before it is built', () => {
    const started = Date.now();
    const e = thrown(
      LimitError,
      topo('generator: octopus-bibd\nparams: { hostPorts: 129, devicePorts: 129 }\n'),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(where(e)).toEqual(['limit.hosts @ params', 'limit.links @ params']);
    expect(e.issues[0]?.message).toBe(
      'octopus-bibd with hostPorts 129, devicePorts 129 has 16,513 hosts, above the limit of 10,000 (limit hosts, docs/limits.md); build a smaller topology',
    );
  });

  it('a 100,000-host hybrid is refused naming pods × pod size', () => {
    const e = thrown(
      LimitError,
      topo(
        'generator: hybrid\nparams:\n  pods: 1000\n  pod: { generator: octopus-sparse, params: { hosts: 100, hostPorts: 4, devicePorts: 8 } }\n',
      ),
    );
    expect(where(e)).toContain('limit.hosts @ params');
    expect(e.message).toMatch(
      /hybrid of 1000 pods × octopus-sparse \(hosts 100, hostPorts 4, devicePorts 8/,
    );
    expect(e.message).toMatch(/has 100,000 hosts/);
  });

  it('an RDMA topology of 10,000 one-host racks is refused for its spine links', () => {
    const e = thrown(
      LimitError,
      topo('generator: rdma-rack\nparams: { hosts: 10000, racks: 10000 }\n'),
    );
    expect(where(e)).toEqual(['limit.links @ params']);
    expect(e.message).toMatch(/graph links, above the limit of 1,000,000 \(limit links/);
  });

  it('a full pod of 2,000 × 2,000 is refused for its links', () => {
    const e = thrown(
      LimitError,
      topo('generator: full-pod\nparams: { hosts: 2000, devices: 2000 }\n'),
    );
    expect(e.message).toMatch(/has 4,000,000 graph links/);
  });

  it('an explicit file with more hosts than the limit is refused at `nodes`, before its schema', () => {
    const nodes = Array.from(
      { length: LIMITS.hosts + 1 },
      (_, i) => `  - { id: h${i}, kind: host }`,
    );
    const e = thrown(LimitError, topo(`nodes:\n${nodes.join('\n')}\nlinks: []\n`));
    expect(where(e)).toEqual(['limit.hosts @ nodes']);
    expect(e.message).toMatch(/this file has 10,001 hosts, above the limit of 10,000/);
  });

  it('sizes at the limit pass; one past any of them is refused', () => {
    const at = { hosts: LIMITS.hosts, devices: LIMITS.devices, links: LIMITS.links };
    const paths = { hosts: ['p'], devices: ['p'], links: ['p'] };
    expect(() => checkTopologySize(at, 'x', paths, 'f')).not.toThrow();
    for (const k of ['hosts', 'devices', 'links'] as const)
      expect(
        where(
          thrown(LimitError, () => checkTopologySize({ ...at, [k]: at[k] + 1 }, 'x', paths, 'f')),
        ),
      ).toEqual([`limit.${k} @ p`]);
  });

  it('the closed forms match what the generators build', () => {
    for (const text of [
      'generator: octopus-bibd\nparams: { hostPorts: 4, devicePorts: 4 }\n',
      'generator: octopus-sparse\nparams: { hosts: 24, hostPorts: 4, devicePorts: 8 }\n',
      'generator: full-pod\nparams: { hosts: 4, devices: 3 }\n',
      'generator: hybrid\nparams: { pods: 3, pod: { generator: octopus-bibd, params: { hostPorts: 3, devicePorts: 3 } } }\n',
    ]) {
      const g = parseTopologyText(text, 't.yaml');
      const f = readYaml(text, 't.yaml') as { generator: string; params: Record<string, unknown> };
      const size = generatedSize(f.generator, f.params, DEFAULT_COMPONENTS, undefined);
      expect(size.hosts, text).toBe(g.filterNodes((_, a) => a.kind === 'host').length);
      expect(size.devices, text).toBe(g.filterNodes((_, a) => a.kind === 'mhd').length);
    }
  });
});

describe('scenario size', () => {
  const scen = (workload: string) => () =>
    parseScenarioText(`${SCENARIO}workload: ${workload}\n`, 's.yaml');

  it('1e12 requests are refused with an estimate of how long they would take', () => {
    const e = thrown(LimitError, scen('{ requests: 1000000000000 }'));
    expect(where(e)).toEqual(['limit.requests @ workload.requests']);
    expect(e.message).toBe(
      's.yaml: workload.requests: ≈ 1,000,000,000,000 requests (≈ 77 days at ≈ 150,000 requests/s), above the limit of 10,000,000 requests per run (limit requests, docs/limits.md); run fewer — percentiles settle long before that, and a sweep spreads larger studies over points',
    );
  });

  it('a duration that makes too many requests at its rate is refused at `duration`', () => {
    const e = thrown(
      LimitError,
      scen('{ arrival: { poisson: "1000 /s" }, duration: "1000000 s" }'),
    );
    expect(where(e)).toEqual(['limit.requests @ workload.duration']);
    expect(e.message).toMatch(/this duration makes ≈ 1,000,000,000 requests \(≈ 111 min at/);
  });

  it('requests at the limit, or a small count with a long duration, are accepted', () => {
    expect(() => scen(`{ requests: ${LIMITS.requests} }`)()).not.toThrow();
    expect(() => scen('{ requests: 10, duration: "1000000 s" }')()).not.toThrow();
  });

  it('a context, suffix or output of 1e9 tokens is refused at load, naming the field', () => {
    const cases: [string, string][] = [
      [
        '{ requests: 10, contexts: { length: { fixed: 1000000000 } } }',
        'workload.contexts.length.fixed',
      ],
      ['{ requests: 10, suffixTokens: 1000000000 }', 'workload.suffixTokens'],
      ['{ requests: 10, output: { fixed: 1000000000 } }', 'workload.output.fixed'],
      ['{ requests: 10, output: { uniform: [1, 1000000000] } }', 'workload.output.uniform[1]'],
    ];
    for (const [workload, path] of cases) {
      const e = thrown(LimitError, scen(workload));
      expect(where(e), workload).toEqual([`limit.tokens @ ${path}`]);
      expect(e.message).toMatch(
        /above the limit of 1,048,576 tokens per request \(limit tokensPerRequest/,
      );
    }
  });

  it('the tokens limit is on the sum: each part below it, together above', () => {
    const e = thrown(
      LimitError,
      scen('{ requests: 10, contexts: { length: { fixed: 600000 } }, output: { fixed: 600000 } }'),
    );
    expect(e.message).toMatch(
      /1,200,064 tokens \(context 600,000 \+ suffix 64 \+ output 600,000\)/,
    );
  });

  it('a limit and a real mistake together are an InputError listing the mistake', () => {
    expect(() => scen('{ requests: 1000000000000, suffixTokens: -1 }')()).toThrow(/suffixTokens/);
    try {
      scen('{ requests: 1000000000000, suffixTokens: -1 }')();
    } catch (e) {
      expect(e).not.toBeInstanceOf(LimitError);
    }
  });
});

describe('latency histograms', () => {
  it('a latency past the bound, or not finite, is recorded at the bound; percentiles stay right', () => {
    const m = createMetrics(0);
    recordNs(m.ttftH, 1000);
    for (const v of [1e17, 1e300, Infinity, NaN]) recordNs(m.ttftH, v);
    expect(m.ttftH.getValueAtPercentile(10)).toBeCloseTo(1000, -1);
    expect(m.ttftH.maxValue).toBe(HISTOGRAM_MAX_NS);
    expect(m.ttftH.getValueAtPercentile(99)).toBeGreaterThanOrEqual(HISTOGRAM_MAX_NS);
  });
});

describe('plan size', () => {
  const plan = (candidates: string, samples: number) =>
    `candidates:\n  - ${candidates}\nmemory: { perHostMean: "64 GiB", peakToMean: 1.5, localFraction: 0.5, samples: ${samples}, curve: [0, 1] }\n`;
  const small =
    '{ generator: switched-cxl, params: { devices: 2, switchPorts: 16, hostLinks: 1 }, hosts: [4] }';

  it('1e6 Monte Carlo samples are refused at memory.samples', () => {
    const e = thrown(LimitError, () => parsePlanText(plan(small, 1_000_000), 'p.yaml'));
    expect(where(e)).toEqual(['limit.samples @ memory.samples']);
    expect(e.message).toBe(
      'p.yaml: memory.samples: 1,000,000 Monte Carlo samples, above the limit of 100,000 (limit monteCarloSamples, docs/limits.md); a 1 % risk needs only a few thousand (default 2,000)',
    );
    expect(() => parsePlanText(plan(small, LIMITS.monteCarloSamples), 'p.yaml')).not.toThrow();
  });

  it('a candidate size past the device limit is refused at its hosts entry', () => {
    const big =
      '{ generator: switched-cxl, params: { devices: 10000, switchPorts: 64, hostLinks: 200 }, hosts: [4, 9000] }';
    const e = thrown(LimitError, () => parsePlanText(plan(big, 200), 'p.yaml'));
    expect(where(e)).toEqual(['limit.links @ candidates[0].hosts[1]']);
    expect(e.message).toMatch(/switched-cxl at 9000 hosts has 1,810,000 graph links/);
  });
});

describe('docs/limits.md', () => {
  it('lists every ceiling with its value and every exit code', () => {
    const doc = readFileSync(join(process.cwd(), 'docs', 'limits.md'), 'utf8');
    for (const [name, value] of Object.entries(LIMITS)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      const shown =
        name === 'inputFileBytes' ? `${value / 1024 ** 2} MiB` : value.toLocaleString('en-US');
      expect(row, name).toContain(shown);
    }
    for (const [name, code] of Object.entries(EXIT_CODES))
      expect(doc, name).toMatch(new RegExp(`\\| ${code} \\| ${name} \\|`));
  });
});
