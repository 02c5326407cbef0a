import { parseDuration } from '../common/durations';
import { pluginMetadataOf, RetryProfile, WebhookPluginMetadata } from '../sdk/plugin';
import { PluginSettingsValues, readPluginSettings, settingDeclarationProblem } from './plugin-settings';

export class PluginRegistryError extends Error {}

/** Core profile: Svix's schedule (immediately, 5s, 5m, 30m, 2h, 5h, 10h, 10h). */
export const CORE_RETRY: Required<RetryProfile> = {
  schedule: ['5s', '5m', '30m', '2h', '5h', '10h', '10h'],
  retryOn: () => true,
  jitter: 0.1,
};

export interface RegisteredPlugin {
  metadata: WebhookPluginMetadata;
  moduleClass: Function;
  retry: Required<RetryProfile> & { delaysMs: number[] };
  eventTypes: Set<string>;
  /** Its `config` declaration as read from the environment. */
  settings: PluginSettingsValues;
}

/** Types the gateway itself emits; delivered only to endpoints that list them explicitly. */
export const OPERATOR_EVENT_PREFIX = 'hookgate.';

/** Whether a plugin's events may have this type: one its catalogue lists, or one its open catalogue accepts. */
export function takesEventType(plugin: RegisteredPlugin, type: string): boolean {
  if (plugin.eventTypes.has(type)) return true;
  return !type.startsWith(OPERATOR_EVENT_PREFIX) && plugin.metadata.acceptsEventType?.(type) === true;
}

/** Why a plugin refuses an event type, in one sentence naming what it takes. */
export function eventTypeRefusal(plugin: RegisteredPlugin, type: string): string {
  const { key, acceptsEventType } = plugin.metadata;
  if (!acceptsEventType) return `type must be one of the ${key} event types: ${[...plugin.eventTypes].join(', ')}`;
  if (type.startsWith(OPERATOR_EVENT_PREFIX)) return `type must not start with ${OPERATOR_EVENT_PREFIX} (the gateway's own event types)`;
  return `type ${type} is not one the ${key} plugin accepts`;
}

const KEY = /^[a-z][a-z0-9-]{1,31}$/;

/** The unified API and every other core route, as a surface beside the plugins (issuers' `plugins`, rate limits). */
export const CORE_SURFACE = 'core';

/**
 * Every plugin module, validated once at start-up (Medusa-style: a missing or duplicate key stops
 * the process with a message naming the classes involved, never a silent fallback).
 */
export class PluginRegistry {
  private readonly plugins = new Map<string, RegisteredPlugin>();
  readonly coreRetry = withDelays(CORE_RETRY);
  /** Every declared plugin's key, enabled or not. */
  readonly declaredKeys: string[];

  /**
   * `env` is the environment the plugins' own settings are read from; `coreNames`, the core's
   * variables, which no plugin may declare.
   */
  constructor(modules: Function[], enabled?: string[], env: Record<string, string | undefined> = {}, coreNames: string[] = []) {
    const declared = modules.map((moduleClass) => ({ moduleClass, metadata: checked(moduleClass) }));
    const seen = new Map<string, Function>();
    const prefixes = new Map<string, Function>();
    for (const { moduleClass, metadata } of declared) {
      const twin = seen.get(metadata.key);
      if (twin) throw new PluginRegistryError(`Duplicate plugin key "${metadata.key}": ${twin.name} and ${moduleClass.name}`);
      const prefixTwin = prefixes.get(metadata.routePrefix);
      if (prefixTwin) throw new PluginRegistryError(`Duplicate routePrefix "${metadata.routePrefix}": ${prefixTwin.name} and ${moduleClass.name}`);
      seen.set(metadata.key, moduleClass);
      prefixes.set(metadata.routePrefix, moduleClass);
    }
    this.declaredKeys = [...seen.keys()];
    const settingOwners = new Map<string, string>(coreNames.map((name) => [name, 'the core']));
    for (const { moduleClass, metadata } of declared) {
      for (const name of Object.keys(metadata.config ?? {})) {
        const owner = settingOwners.get(name);
        if (owner) throw new PluginRegistryError(`Plugin ${moduleClass.name}: setting ${name} is already declared by ${owner}`);
        settingOwners.set(name, moduleClass.name);
      }
    }
    const unknown = (enabled ?? []).filter((key) => !seen.has(key));
    if (unknown.length) throw new PluginRegistryError(`PLUGINS names unknown plugin(s): ${unknown.join(', ')} (known: ${[...seen.keys()].join(', ')})`);
    for (const { moduleClass, metadata } of declared) {
      if (enabled && !enabled.includes(metadata.key)) continue;
      this.plugins.set(metadata.key, {
        metadata,
        moduleClass,
        retry: withDelays({ ...CORE_RETRY, ...metadata.delivery?.retry }),
        eventTypes: new Set(metadata.eventTypes.map((e) => e.type)),
        settings: readPluginSettings(metadata.config, env),
      });
    }
  }

  all(): RegisteredPlugin[] {
    return [...this.plugins.values()];
  }

  find(key: string | null | undefined): RegisteredPlugin | undefined {
    return key ? this.plugins.get(key) : undefined;
  }

  /** The plugin whose routes serve this URL path, if any: its error shape applies there. */
  forPath(path: string): RegisteredPlugin | undefined {
    const first = path.split('?')[0].split('/')[1];
    return this.all().find((p) => p.metadata.routePrefix === first);
  }

  /** The surface a URL path belongs to: its plugin's key, else `core`. */
  surfaceFor(path: string): string {
    return this.forPath(path)?.metadata.key ?? CORE_SURFACE;
  }

  /** A plugin's settings (empty for an unknown or disabled plugin). */
  settingsOf(key: string): PluginSettingsValues {
    return this.find(key)?.settings ?? {};
  }

  retryFor(key: string | null): RegisteredPlugin['retry'] {
    return this.find(key)?.retry ?? this.coreRetry;
  }
}

function withDelays(profile: Required<RetryProfile>): Required<RetryProfile> & { delaysMs: number[] } {
  return { ...profile, delaysMs: profile.schedule.map(parseDuration) };
}

function checked(moduleClass: Function): WebhookPluginMetadata {
  const metadata = pluginMetadataOf(moduleClass);
  const fail = (why: string): never => {
    throw new PluginRegistryError(`Plugin ${moduleClass.name}: ${why}`);
  };
  if (!metadata) return fail('has no @WebhookPlugin({...}) declaration');
  if (!KEY.test(metadata.key ?? '')) fail(`key "${metadata.key}" must match ${KEY}`);
  if (metadata.key === CORE_SURFACE) fail(`key "${CORE_SURFACE}" is reserved by the core`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(metadata.routePrefix ?? '')) fail(`routePrefix "${metadata.routePrefix}" must be one lowercase path segment`);
  if (['v1', 'oauth2', 'docs', 'docs-json', 'health', 'metrics', 'console'].includes(metadata.routePrefix)) fail(`routePrefix "${metadata.routePrefix}" is reserved by the core`);
  if (!metadata.title) fail('title is required');
  if (!metadata.eventTypes?.length) fail('declares no eventTypes');
  const types = metadata.eventTypes.map((e) => e.type);
  if (new Set(types).size !== types.length) fail('declares an event type twice');
  for (const [name, setting] of Object.entries(metadata.config ?? {})) {
    const problem = settingDeclarationProblem(name, setting);
    if (problem) fail(problem);
  }
  if (metadata.acceptsEventType !== undefined && typeof metadata.acceptsEventType !== 'function') fail('acceptsEventType must be a function (type) => boolean');
  if (typeof metadata.sampleEvent !== 'function') fail('sampleEvent(tenant) is required (the contract suite publishes it)');
  if (typeof metadata.errors?.render !== 'function' || typeof metadata.errors?.schema !== 'object') fail('errors must have render() and schema');
  try {
    metadata.delivery?.retry?.schedule.forEach(parseDuration);
  } catch (err) {
    fail((err as Error).message);
  }
  return metadata;
}
