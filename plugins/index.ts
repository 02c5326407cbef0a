import { Type } from '@nestjs/common';
import { CaliperPlugin } from './caliper/caliper.plugin';
import { GenericPlugin } from './generic/generic.plugin';
import { PolyaiPlugin } from './polyai/polyai.plugin';
import { SvixPlugin } from './svix/svix.plugin';
import { TimbrixPlugin } from './timbrix/timbrix.plugin';

/**
 * The provider plugins this gateway ships. Adding a provider = one folder under plugins/ and
 * one line here. Only app composition (src/main.ts, the CLI) imports this file.
 */
export const PLUGIN_MODULES: Type[] = [GenericPlugin, PolyaiPlugin, CaliperPlugin, TimbrixPlugin, SvixPlugin];
