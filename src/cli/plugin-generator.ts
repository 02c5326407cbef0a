import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, UsageError } from './errors';
import { pluginFiles, pluginNames } from './plugin-templates';

const KEY = /^[a-z][a-z0-9-]{1,31}$/;
const RESERVED = ['v1', 'oauth2', 'docs', 'docs-json', 'health', 'metrics', 'console'];

/**
 * The one step after generating: it builds the gateway and writes the new plugin's OpenAPI document
 * (and the combined one, and docs/permissions.md), after which the contract suite, the OpenAPI
 * drift test and the plugin's own spec pass.
 */
export const NEXT_STEP = 'npm run openapi';

/** Writes plugins/<key>/ and registers its module in plugins/index.ts; returns the files written. */
export function generatePlugin(projectRoot: string, key: string): string[] {
  if (!KEY.test(key) || key.endsWith('-')) throw new UsageError(`plugin key "${key}" must be 2-32 lowercase letters, digits or dashes, starting with a letter`);
  if (RESERVED.includes(key)) throw new UsageError(`plugin key "${key}" is a route the core reserves`);
  const index = join(projectRoot, 'plugins', 'index.ts');
  if (!existsSync(index)) throw new CliError(`no plugins/index.ts under ${projectRoot}: run this in the hookgate project or pass --cwd`);
  const dir = join(projectRoot, 'plugins', key);
  if (existsSync(dir)) throw new CliError(`plugins/${key} already exists`);

  const names = pluginNames(key);
  const registered = registerPlugin(readFileSync(index, 'utf8'), `${names.pascal}Plugin`, `./${key}/${key}.plugin`);
  mkdirSync(dir, { recursive: true });
  const written = Object.entries(pluginFiles(names)).map(([file, content]) => {
    writeFileSync(join(dir, file), content);
    return join('plugins', key, file);
  });
  writeFileSync(index, registered);
  return [...written, join('plugins', 'index.ts')];
}

/** plugins/index.ts with the module imported and appended to PLUGIN_MODULES, in the file's own layout. */
export function registerPlugin(source: string, className: string, importPath: string): string {
  const list = /(PLUGIN_MODULES\s*:\s*Type\[\]\s*=\s*\[)([\s\S]*?)(\]\s*;)/.exec(source);
  if (!list) throw new CliError('plugins/index.ts has no `PLUGIN_MODULES: Type[] = [...]` list to add the plugin to');
  const entries = list[2];
  const appended = entries.trim() === '' ? className : entries.includes('\n') ? `${entries.replace(/,?\s*$/, ',')}\n  ${className},\n` : `${entries.replace(/,?\s*$/, '')}, ${className}`;
  const withEntry = source.slice(0, list.index) + list[1] + appended + list[3] + source.slice(list.index + list[0].length);
  const imports = [...withEntry.matchAll(/^import .*;$/gm)];
  const last = imports[imports.length - 1];
  const at = last ? last.index! + last[0].length : 0;
  return `${withEntry.slice(0, at)}\nimport { ${className} } from '${importPath}';${withEntry.slice(at)}`;
}
