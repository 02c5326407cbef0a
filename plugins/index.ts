import { Type } from '@nestjs/common';

/**
 * The provider plugins this gateway ships. Adding a provider = one folder under plugins/ and
 * one line here. Only app composition (src/main.ts, the CLI) imports this file.
 */
export const PLUGIN_MODULES: Type[] = [];
