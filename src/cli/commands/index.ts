/** Every CLI command module, in the order `podsim --help` lists them. */
import type { CommandModule } from 'yargs';
import { capacityCommands } from './capacity.ts';
import { fabricCommands } from './fabric.ts';
import { plannerCommands } from './planner.ts';
import { scenarioCommand } from './scenario.ts';
import { simCommands } from './sim.ts';
import { sweepCommands } from './sweep.ts';
import { topologyCommand } from './topology.ts';
import { whatifCommands } from './whatif.ts';

export const commands: CommandModule<object, never>[] = [
  ...whatifCommands,
  topologyCommand as CommandModule<object, never>,
  scenarioCommand as CommandModule<object, never>,
  ...fabricCommands,
  ...plannerCommands,
  ...simCommands,
  ...sweepCommands,
  ...capacityCommands,
];
