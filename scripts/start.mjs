// `npm start`: the main job. Until the demo app exists, it runs the bus tutorial.
import { run } from './lib/run.mjs';

process.exit(await run('npx', ['tsx', '--conditions=@eventwire/source', 'examples/tutorial.ts']));
