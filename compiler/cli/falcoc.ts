// Entry point of the bundled `falcoc` command.
import { main } from './main.ts';

await main(process.argv);
