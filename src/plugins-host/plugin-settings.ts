import { ConfigError } from '../config/app-config';
import type { PluginSetting, PluginSettingsDeclaration } from '../sdk/plugin';

/** A plugin's settings as read from the environment, typed by its declaration. */
export type PluginSettingsValues = Record<string, string | number | boolean>;

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no', ''];

/** The value of one declared setting, or why the variable is invalid (the core's wording: "must be ..."). */
function settingValue(setting: PluginSetting, raw: string | undefined): { value: string | number | boolean } | { problem: string } {
  if (raw === undefined) return { value: setting.default };
  switch (setting.type) {
    case 'int': {
      const value = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isInteger(value)) return { problem: 'must be an integer number' };
      if (setting.min !== undefined && value < setting.min) return { problem: `must not be less than ${setting.min}` };
      if (setting.max !== undefined && value > setting.max) return { problem: `must not be greater than ${setting.max}` };
      return { value };
    }
    case 'boolean': {
      const word = raw.toLowerCase();
      if (TRUE.includes(word)) return { value: true };
      if (FALSE.includes(word)) return { value: false };
      return { problem: 'must be a boolean value' };
    }
    case 'string': {
      if (setting.minLength !== undefined && raw.length < setting.minLength) return { problem: `must be longer than or equal to ${setting.minLength} characters` };
      if (setting.maxLength !== undefined && raw.length > setting.maxLength) return { problem: `must be shorter than or equal to ${setting.maxLength} characters` };
      if (setting.oneOf && !setting.oneOf.includes(raw)) return { problem: `must be one of the following values: ${setting.oneOf.join(', ')}` };
      return { value: raw };
    }
  }
}

/**
 * Reads a plugin's declared settings from the environment, with the same one-line errors as the
 * core's own configuration ("Invalid configuration: NAME must be ..."), at start-up.
 */
export function readPluginSettings(declared: PluginSettingsDeclaration | undefined, env: Record<string, string | undefined>): PluginSettingsValues {
  const values: PluginSettingsValues = {};
  for (const [name, setting] of Object.entries(declared ?? {})) {
    const read = settingValue(setting, env[name]);
    if ('problem' in read) throw new ConfigError(`Invalid configuration: ${name} ${read.problem}`);
    values[name] = read.value;
  }
  return values;
}

/** Why a declaration is unusable (a bad name, or a default its own rules refuse); null when sound. */
export function settingDeclarationProblem(name: string, setting: PluginSetting): string | null {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) return `setting "${name}" must be an UPPER_SNAKE_CASE variable name`;
  if (typeof setting.default !== { int: 'number', boolean: 'boolean', string: 'string' }[setting.type]) return `setting ${name}: default must be of type ${setting.type}`;
  const read = settingValue(setting, String(setting.default));
  return 'problem' in read ? `setting ${name}: its default ${read.problem}` : null;
}
