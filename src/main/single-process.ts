// WORKERS=1 (the default): this one process migrates, serves, seeds the demo catalog and prints the banner.

import type { Logger } from '../kernel/logger.ts';
import { startService } from './bootstrap.ts';
import type { Config } from './config.ts';
import { prepareDemo } from './demo/demo.ts';
import type { DevKeys } from './dev-keys.ts';
import { failStartup, stopOnSignals } from './lifecycle.ts';

export async function runSingleProcess(config: Config, log: Logger, devKeys: DevKeys): Promise<void> {
  try {
    const service = await startService(config, log);
    await prepareDemo(service, config, devKeys);
    stopOnSignals(log, async () => {
      await service.stop();
      return 0;
    });
  } catch (e) {
    failStartup(log, e);
  }
}
