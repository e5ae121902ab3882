// WORKERS=1 (the default): this one process migrates, serves, seeds the demo catalog and prints the banner.
// A stop signal during any of it waits for the step in progress, then stops what was started (lifecycle.ts).

import type { Logger } from '../kernel/logger.ts';
import { type Service, startService } from './bootstrap.ts';
import type { Config } from './config.ts';
import { prepareDemo } from './demo/demo.ts';
import type { DevKeys } from './dev-keys.ts';
import { catchSignals, failStartup } from './lifecycle.ts';

export async function runSingleProcess(config: Config, log: Logger, devKeys: DevKeys): Promise<void> {
  const signals = catchSignals(log);
  let service: Service | undefined;
  try {
    service = await startService(config, log);
    // No demo seeding for a process already told to stop.
    if (!signals.received) await prepareDemo(service, config, devKeys);
    const started = service;
    signals.started(async () => {
      await started.stop();
      return 0;
    });
  } catch (e) {
    await service?.stop().catch(() => {});
    failStartup(log, e);
  }
}
