/**
 * The bus tutorial's complete example, in TypeScript. Run it with `npm run tutorial`.
 */
import { runTutorial } from './tutorial/runTutorial.js';

await runTutorial();
