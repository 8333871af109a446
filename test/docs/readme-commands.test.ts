/** The README's command list, first half, run as written (see ./readme-commands.ts). */
import { readmeCommandSuite } from './readme-commands.ts';

readmeCommandSuite(0);
