/**
 * The node-key codec (src/topology/keys.ts) and what it buys: any id — `__proto__`,
 * `constructor`, `toString` … — builds a sound graph whose validation, compiled fabric and
 * exports name the nodes exactly as given (issue 15 item 5).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { rpcCost } from '../../src/fabric/rpc.ts';
import { exportDot } from '../../src/report/export-dot.ts';
import { exportGraphml } from '../../src/report/export-graphml.ts';
import { topologyToJson } from '../../src/report/export-json.ts';
import { TopologyBuilder } from '../../src/topology/builder.ts';
import { idsInText, KEY_PREFIX, nodeId, nodeKey, RESERVED_IDS } from '../../src/topology/keys.ts';
import { cxlReach } from '../../src/topology/metrics-reach.ts';
import { validateTopology } from '../../src/topology/validate.ts';
import { bytes } from '../../src/units/index.ts';

/** Every own property name of Object.prototype, as this runtime has them, and `prototype`. */
const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

/** Ids drawn from the poisonous names and ordinary ones alike. */
const idArb = fc.oneof(
  fc.constantFrom(...PROTO_NAMES),
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/),
);

describe('nodeKey / nodeId', () => {
  it('covers every Object.prototype name of the runtime', () => {
    for (const name of PROTO_NAMES) {
      expect(RESERVED_IDS.has(name), name).toBe(true);
      expect(nodeKey(name)).toBe(KEY_PREFIX + name);
    }
  });

  it('is the identity on ordinary ids and on the bundled id conventions', () => {
    for (const id of ['h0', 'd12', 'h0.gpu0', 'p1.h3.nic0', 'sw0', 'tor0', 'spine0', 'proto'])
      expect(nodeKey(id)).toBe(id);
  });

  it('round-trips every string, and a key is never an Object.prototype name', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom(...PROTO_NAMES, `${KEY_PREFIX}x`)),
        (id) => {
          const key = nodeKey(id);
          expect(nodeId(key)).toBe(id);
          expect(Object.prototype.hasOwnProperty.call(Object.prototype, key)).toBe(false);
          expect(key === 'prototype').toBe(false);
        },
      ),
    );
  });

  it('an id that starts with the prefix is encoded too, so decoding stays exact', () => {
    expect(nodeKey(`${KEY_PREFIX}a`)).toBe(`${KEY_PREFIX}${KEY_PREFIX}a`);
    expect(nodeId(nodeKey(`${KEY_PREFIX}a`))).toBe(`${KEY_PREFIX}a`);
  });

  it('idsInText shows ids for the keys a message was written with', () => {
    expect(idsInText(`host ${nodeKey('__proto__')} – ${nodeKey('h1')}`)).toBe(
      'host __proto__ – h1',
    );
  });
});

/** A pod: every host cabled to one MHD, plus a switch with a memory device behind it. */
function pod(hosts: readonly string[], mhd: string, sw: string, md: string) {
  const b = new TopologyBuilder({ name: 'ids', family: 'custom', description: 'ids' });
  hosts.forEach((h, i) => b.addHost(h, { placement: { rack: 0, slotU: 2 * i }, gpus: 1, nics: 0 }));
  b.addMhd(mhd, { placement: { rack: 1, slotU: 0 }, ports: Math.max(4, hosts.length) });
  b.addCxlSwitch(sw, { placement: { rack: 1, slotU: 4 } });
  b.addMemoryDevice(md, { placement: { rack: 1, slotU: 6 } });
  for (const h of hosts) b.connectCxl(h, mhd);
  b.connectCxl(hosts[0] as string, sw);
  b.connectCxl(sw, md);
  return b.build();
}

describe('a graph of hostile ids', () => {
  it('builds, validates, compiles and exports with every id as given (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 5, maxLength: 9 }), (ids) => {
        const [mhd, sw, md, ...hosts] = ids as [string, string, string, ...string[]];
        // A GPU id `<host>.gpu0` must not collide with a drawn id (none has a dot).
        const g = pod(hosts, mhd, sw, md);
        expect(validateTopology(g)).toEqual([]);
        const json = topologyToJson(g);
        const shown = json.nodes.filter((n) => n.kind !== 'gpu').map((n) => n.id);
        expect(new Set(shown)).toEqual(new Set(ids));
        for (const n of json.nodes) if (n.kind === 'gpu') expect(hosts).toContain(n.host);
        for (const l of json.links) {
          expect(l.id).toBe(`${l.source}--${l.target}`);
          expect(l.id).not.toContain(KEY_PREFIX);
        }
        const f = compileFabric(g);
        expect(new Set(f.nodes.filter((_n, i) => f.nodeKind[i] !== 'gpu'))).toEqual(new Set(ids));
        expect(f.nodes.every((n) => !n.includes(KEY_PREFIX))).toBe(true);
        const [a, b] = hosts as [string, string];
        const rpc = rpcCost(f, a, b, bytes(64));
        expect(rpc.best?.request.path).toEqual([a, mhd, b]);
        expect(cxlReach(g).hosts).toEqual(hosts);
        const dot = exportDot(g);
        const xml = exportGraphml(g);
        for (const id of ids) {
          expect(dot).toContain(`"${id}" [label=`);
          expect(xml).toContain(`<node id="${id}">`);
        }
        expect(dot).not.toContain(KEY_PREFIX);
      }),
      { numRuns: 40 },
    );
  });

  it('a validation issue names the node as given, in its subject, path and message', () => {
    const b = new TopologyBuilder({ name: 'ids', family: 'custom', description: 'ids' });
    b.addHost('__proto__', { placement: { rack: 0, slotU: 0 }, gpus: 1, nics: 0, cxlPorts: 1 });
    b.addMhd('constructor', { placement: { rack: 0, slotU: 4 }, ports: 4 });
    b.addMhd('toString', { placement: { rack: 0, slotU: 6 }, ports: 4 });
    b.connectCxl('__proto__', 'constructor').connectCxl('__proto__', 'toString');
    const issues = validateTopology(b.build());
    const ports = issues.find((i) => i.code === 'topology.ports-exceeded');
    expect(ports?.subject).toEqual({ node: '__proto__' });
    expect(ports?.path).toEqual(['nodes', '__proto__', 'ports']);
    expect(issues.map((i) => i.message).join('\n')).not.toContain(KEY_PREFIX);
  });

  it('a duplicate hostile id is refused by the builder, not merged', () => {
    const b = new TopologyBuilder({ name: 'ids', family: 'custom', description: 'ids' });
    b.addHost('constructor', { placement: { rack: 0, slotU: 0 } });
    expect(b.has('constructor')).toBe(true);
    expect(b.has('toString')).toBe(false);
    expect(() => b.addMhd('constructor', { placement: { rack: 0, slotU: 4 } })).toThrow(
      /duplicate node id "constructor"/,
    );
  });
});
