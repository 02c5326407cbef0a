import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The dependency rule: a plugin imports only the SDK (and packages), never core internals; the
 * core never imports a plugin, except the composition roots (src/main.ts, the CLI, the OpenAPI export).
 */
const ROOT = resolve(__dirname, '../..');
const SDK = join(ROOT, 'src', 'sdk');
const PLUGINS = join(ROOT, 'plugins');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(entry.name) && !/\.(e2e-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier in `import … from`, `export … from`, `import('…')` and `require('…')`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g, /import\s*['"]([^'"]+)['"]/g, /(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]);
  return found;
}

const within = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + sep);
const COMPOSITION_ROOTS = [join('src', 'main.ts'), join('src', 'openapi', 'export.ts')];

describe('import rule', () => {
  it('plugins import only src/sdk (its index) and files inside their own folder', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(PLUGINS)) {
      const own = relative(PLUGINS, file).split(sep).length > 1 ? join(PLUGINS, relative(PLUGINS, file).split(sep)[0]) : PLUGINS;
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        const allowed = target === SDK || target === join(SDK, 'index') || within(target, own);
        if (!allowed) offences.push(`${relative(ROOT, file)} imports '${spec}'`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('the core never imports plugins/ (except src/main.ts, src/cli and src/openapi/export.ts)', () => {
    const offences: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const rel = relative(ROOT, file);
      if (COMPOSITION_ROOTS.includes(rel) || within(file, join(ROOT, 'src', 'cli'))) continue;
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.') && within(resolve(dirname(file), spec), PLUGINS)) offences.push(`${rel} imports '${spec}'`);
      }
    }
    expect(offences).toEqual([]);
  });
});

describe('the SDK surface', () => {
  // Reviewed as an API change: a plugin can use exactly these values. Core services, AppConfig,
  // repositories, row types and TenantScope stay out; the facades are bound to the plugin's key.
  it('exports exactly the v2 values', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require('../../src/sdk') as Record<string, unknown>;
    expect(Object.keys(sdk).sort()).toEqual([
      'Access', 'BadRequestError', 'ConflictError', 'CoreError', 'CurrentPrincipal', 'ERROR_STATUS_TEXT', 'ForbiddenError', 'GATEWAY_HEADERS', 'MASKED_VALUE',
      'NotFoundError', 'Operation', 'PluginDeliveries', 'PluginEndpoints', 'PluginEvents', 'PluginRecords', 'PluginSettings', 'RateLimitedError',
      'UnauthorizedError', 'UnprocessableError', 'ValidationFailedError', 'WebhookPlugin', 'claimAt', 'cursorOf', 'customHeaderIssues', 'hexHmac',
      'isUuid', 'iso', 'parseDuration', 'prefixedToken', 'schema', 'standardSignature', 'uuidv7', 'z',
    ]);
  });
});
