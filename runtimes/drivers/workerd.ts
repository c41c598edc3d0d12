// workerd: each test file is a service whose module has a test handler; `workerd test` calls it
// and prints console output to stdout.
import { REPORT_MARKER, runTestFile, type LoadTestFile } from '../harness/report.js';
import { setWorkerdEnv } from '../harness/workerdEnv.js';

/** The module worker of one test file. */
export function start(name: string, load: LoadTestFile) {
  return {
    async test(_controller: unknown, env: Record<string, unknown>): Promise<void> {
      setWorkerdEnv(env);
      const report = await runTestFile(name, load, (line) => console.log(line));
      console.log(`${REPORT_MARKER}${JSON.stringify(report)}`);
      if (report.failed > 0) throw new Error(`${report.failed} test(s) failed in ${name}`);
    },
  };
}
