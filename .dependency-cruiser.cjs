/**
 * Layer rules from docs/design.md: each layer imports only from layers listed before it,
 * and only io/ and cli/ touch the file system (docs/design.md convention §1, after dependency-cruiser's own
 * "restrict-fs-access" rule). app/ (what-if, sweep, capacity) sits between io/ and cli/; a CLI
 * command imports no other command's file (shared flags live in src/cli/flags.ts).
 */
const LAYERS = ['errors', 'units', 'topology', 'fabric', 'kv', 'planner', 'sim', 'cost', 'report', 'io', 'app', 'cli'];

const layerRules = LAYERS.map((layer, i) => ({
  name: `${layer}-imports-only-lower-layers`,
  severity: 'error',
  comment: `src/${layer}/ may import only from ${LAYERS.slice(0, i).join(', ') || 'nothing else in src'} (docs/design.md)`,
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|') || 'NONE'}|testing)/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'restrict-fs-access',
      severity: 'error',
      comment: 'Only io/ and cli/ touch the file system (docs/design.md).',
      from: { path: '^src/', pathNot: '^src/(io|cli)/' },
      to: { dependencyTypes: ['core'], path: '^(fs|node:fs|fs/promises|node:fs/promises)$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'cli-commands-independent',
      severity: 'error',
      comment:
        'A command file imports no other command file: shared flags go in src/cli/flags.ts, shared logic in src/app/ (commands/index.ts lists them all).',
      from: { path: '^src/cli/commands/', pathNot: '^src/cli/commands/index\\.ts$' },
      to: { path: '^src/cli/commands/' },
    },
    {
      name: 'testing-not-from-cli',
      severity: 'error',
      comment: 'podsim/testing is a library entry point; it must not pull in the CLI.',
      from: { path: '^src/testing/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
