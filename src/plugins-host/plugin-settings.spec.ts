import { ConfigError } from '../config/app-config';
import type { PluginSettingsDeclaration } from '../sdk/plugin';
import { readPluginSettings, settingDeclarationProblem } from './plugin-settings';

const DECLARED: PluginSettingsDeclaration = {
  ACME_LIMIT: { type: 'int', default: 120, min: 0, max: 1000, description: 'limit' },
  ACME_CLAIM: { type: 'string', default: 'org_slug', minLength: 1, maxLength: 20, description: 'claim' },
  ACME_STRICT: { type: 'boolean', default: false, description: 'strict' },
};

describe('a plugin\'s declared settings', () => {
  it('take their defaults when unset, and typed values when set', () => {
    expect(readPluginSettings(DECLARED, {})).toEqual({ ACME_LIMIT: 120, ACME_CLAIM: 'org_slug', ACME_STRICT: false });
    expect(readPluginSettings(DECLARED, { ACME_LIMIT: '0', ACME_CLAIM: 'app_metadata.org', ACME_STRICT: 'yes' })).toEqual({ ACME_LIMIT: 0, ACME_CLAIM: 'app_metadata.org', ACME_STRICT: true });
  });

  it.each([
    [{ ACME_LIMIT: 'ten' }, 'Invalid configuration: ACME_LIMIT must be an integer number'],
    [{ ACME_LIMIT: '1.5' }, 'Invalid configuration: ACME_LIMIT must be an integer number'],
    [{ ACME_LIMIT: '1001' }, 'Invalid configuration: ACME_LIMIT must not be greater than 1000'],
    [{ ACME_LIMIT: '-1' }, 'Invalid configuration: ACME_LIMIT must not be less than 0'],
    [{ ACME_CLAIM: '' }, 'Invalid configuration: ACME_CLAIM must be longer than or equal to 1 characters'],
    [{ ACME_STRICT: 'maybe' }, 'Invalid configuration: ACME_STRICT must be a boolean value'],
  ])('refuse %j with the core\'s one-line error', (env, message) => {
    expect(() => readPluginSettings(DECLARED, env)).toThrow(ConfigError);
    expect(() => readPluginSettings(DECLARED, env)).toThrow(message);
  });

  it('declarations whose default breaks their own rules, or whose name is not a variable name, are refused', () => {
    expect(settingDeclarationProblem('ACME_LIMIT', { type: 'int', default: 5000, max: 1000, description: '' })).toBe('setting ACME_LIMIT: its default must not be greater than 1000');
    expect(settingDeclarationProblem('acmeLimit', { type: 'int', default: 1, description: '' })).toMatch(/UPPER_SNAKE_CASE/);
    expect(settingDeclarationProblem('ACME_LIMIT', { type: 'int', default: '1' as unknown as number, description: '' })).toBe('setting ACME_LIMIT: default must be of type int');
    expect(settingDeclarationProblem('ACME_LIMIT', DECLARED.ACME_LIMIT)).toBeNull();
  });
});
