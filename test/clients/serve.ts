// Starts the live harness (test/clients/live-server.ts) by hand, for running a client's own suite outside vitest:
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 \
//     node --import tsx test/clients/serve.ts [lang …]        (default lang: manual)
//
// For every lang it provisions an account and clients and prints one JSON line on stdout:
//   {"lang": "<lang>", "env": {"KC_BASE_URL": "…", …}}
// and the same variables as `export K='v'` lines on stderr (paste them into a shell). It stays up until Ctrl-C
// (SIGINT/SIGTERM), then stops everything and drops its database. Without DATABASE_URL it starts an embedded
// PostgreSQL, as the test suite does.
import { setup, teardown } from '../helpers/global-setup.ts';
import { provisionLanguage, startLiveServer } from './live-server.ts';

await setup();
const server = await startLiveServer();
const langs = process.argv.slice(2);
for (const lang of langs.length ? langs : ['manual']) {
  const env = await provisionLanguage(server, lang);
  process.stdout.write(`${JSON.stringify({ lang, env })}\n`);
  process.stderr.write(
    `# ${lang}\n${Object.entries(env)
      .map(([k, v]) => `export ${k}='${v}'\n`)
      .join('')}`,
  );
}
process.stderr.write('harness up; Ctrl-C to stop\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  await teardown();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
