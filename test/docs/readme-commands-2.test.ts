/** The README's command list, second half, run as written (see ./readme-commands.ts). */
import { readmeCommandSuite } from './readme-commands.ts';

readmeCommandSuite(1);
