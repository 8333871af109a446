/**
 * `podsim scenario …`: the bundled scenarios and the JSON Schema of scenario files, as
 * `podsim topology list|schema` do for topologies.
 */
import type { Argv, CommandModule } from 'yargs';
import { listScenarioPresets, scenarioJsonSchema } from '../../io/index.ts';
import { chosenFormat, formatOptions, type FormatArgs } from '../flags.ts';
import { emit, json, writeResult } from '../output.ts';

const list: CommandModule<object, FormatArgs> = {
  command: 'list',
  describe: 'The bundled scenarios',
  builder: (y) =>
    formatOptions(y)
      .example('$0 scenario list', 'names to pass wherever a scenario file is expected')
      .example('$0 scenario list --csv', 'the same as CSV (name, description)') as Argv<FormatArgs>,
  handler: (argv) => {
    const presets = listScenarioPresets();
    emit(
      chosenFormat(argv),
      [
        {
          title: 'Bundled scenarios (use the name wherever a scenario file is expected)',
          columns: [{ header: 'name' }, { header: 'description' }],
          rows: presets.map((p) => [p.name, p.description]),
        },
      ],
      presets,
    );
  },
};

const schema: CommandModule<object, { o?: string }> = {
  command: 'schema',
  describe: 'The JSON Schema of scenario files (for editors: yaml-language-server, VS Code)',
  builder: (y) =>
    y
      .option('o', { alias: 'output', type: 'string', describe: 'output file (default: stdout)' })
      .example(
        '$0 scenario schema -o scenario.schema.json',
        'then start a YAML file with: # yaml-language-server: $schema=scenario.schema.json',
      ) as Argv<{ o?: string }>,
  handler: (argv) => writeResult(argv.o, json(scenarioJsonSchema())),
};

/** `podsim scenario <subcommand>`. */
export const scenarioCommand: CommandModule<object, object> = {
  command: 'scenario',
  describe: 'The bundled scenarios and the scenario file format',
  builder: (y) =>
    y
      .command(list as CommandModule<object, never>)
      .command(schema as CommandModule<object, never>)
      .demandCommand(1, 'Name a scenario subcommand: list or schema.')
      .strictCommands()
      .example('$0 scenario list', 'the bundled scenarios'),
  handler: () => undefined,
};
