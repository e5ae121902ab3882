// WORKERS=1 (the default): this one process migrates, serves, seeds the demo catalog and prints the banner.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../kernel/logger.ts';
import { startService } from './bootstrap.ts';
import type { Config } from './config.ts';
import { prepareDemo } from './demo/demo.ts';
import type { DevKeys } from './dev-keys.ts';
import { failStartup, stopOnSignals } from './lifecycle.ts';

/** How long a stop waits for demo seeding still under way; the sandbox seed is one transaction, so cutting it is safe. */
const DEMO_WAIT_ON_STOP_MS = 5_000;

export async function runSingleProcess(config: Config, log: Logger, devKeys: DevKeys): Promise<void> {
  try {
    const service = await startService(config, log);
    // The handlers exist before the demo is prepared: seeding the sandbox takes seconds, and a SIGTERM meanwhile
    // must stop the service, not kill the process.
    let demo: Promise<unknown> = Promise.resolve();
    stopOnSignals(log, async () => {
      await Promise.race([demo.catch(() => undefined), sleep(DEMO_WAIT_ON_STOP_MS)]);
      await service.stop();
      return 0;
    });
    demo = prepareDemo(service, config, devKeys);
    await demo;
  } catch (e) {
    failStartup(log, e);
  }
}
