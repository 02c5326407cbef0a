import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { PLUGIN_MODULES } from '../plugins';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config, PLUGIN_MODULES);
  await app.listen({ port: config.PORT, host: config.HOST });
  new Logger('hookgate').log(`listening on http://${config.HOST}:${config.PORT} (role ${config.ROLE})`);
}

main().catch((err) => {
  // Bad configuration is one line naming the variable; anything else says what failed.
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `hookgate failed to start: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
