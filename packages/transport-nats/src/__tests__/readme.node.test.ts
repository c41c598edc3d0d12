import { connect } from '@nats-io/transport-node';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deleteStreams, natsAvailability, natsServer, uniqueNames } from './natsHarness.js';

const availability = await natsAvailability();

describe.skipIf(!availability.ok)('README', () => {
  it('its example runs and prints what it says', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    // Under the root node_modules, so that the workspace packages resolve as they would for a user.
    const dir = fileURLToPath(new URL('../../../../node_modules/.cache/eventwire-readme/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const file = `${dir}transport-nats.mts`; // .mts: an ES module wherever it lies
    writeFileSync(file, example!);
    const names = uniqueNames('readme');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@eventwire/source', file], {
      env: { ...process.env, NATS_URL: natsServer, STREAM: names.stream, SUBJECT_PREFIX: names.subjectPrefix },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const connection = await connect({ servers: natsServer });
    await deleteStreams(connection, [names.stream, `${names.stream}_DEAD_LETTERS`]);
    await connection.close();
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('billing Alice: 99.99\n1 processed, 0 dead-lettered\n');
  }, 60_000);
});
