// Process entry: config -> infrastructure -> http server; demo data on an empty catalog; signals; shutdown.
import { loadConfig, ConfigError } from './config.ts';
import { createLogger } from './kernel/logger.ts';
import { startService } from './bootstrap.ts';
import { prepareDemo } from './demo.ts';
import { errorText } from './kernel/error-text.ts';
import { shutdownTracing } from './kernel/tracing.ts';

let config;
try {
  config = loadConfig();
} catch (e) {
  process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `configuration error: ${(e as Error).message}\n`);
  process.exit(1);
}

const log = createLogger(config.LOG_LEVEL, {
  pretty: config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && !!process.stdout.isTTY),
});
if (config.generatedSecrets.length)
  log.warn(
    { secrets: config.generatedSecrets, file: config.devKeysFile },
    'development keys from DATA_DIR (kept across restarts); production requires them set explicitly',
  );

if (config.NODE_ENV === 'production' && !config.REDIS_URL)
  log.warn(
    'no REDIS_URL: rate limits, one-shot image URLs and revocations live in this process only; run exactly one ' +
      'process, or set REDIS_URL (docs/operations.md#shared-state)',
  );

try {
  const service = await startService(config, log);
  await prepareDemo(service, config);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    try {
      await service.stop();
      await shutdownTracing(); // the last spans (docs/operations.md#traces)
      log.info('stopped');
      process.exit(0);
    } catch (e) {
      log.error({ err: e }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
} catch (e) {
  // The reason on one line, in the log and on stderr: an operator must never see only "start-up failed".
  let why = errorText(e);
  if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE')
    why += ` (another instance on this port? set PORT, or stop it)`;
  log.fatal({ err: e instanceof Error ? e : undefined, reason: why }, 'start-up failed');
  process.stderr.write(`start-up failed: ${why}\n`, () => process.exit(1));
}
