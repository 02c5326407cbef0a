import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

/** Docker is not on the test machines: the image's rules are checked in its files. */
const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Stage {
  from: string;
  name: string;
  /** Instructions with continuation lines joined, comments dropped. */
  lines: string[];
}

function stages(dockerfile: string): Stage[] {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const result: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ from: from[1], name: from[2] ?? '', lines: [] });
    else result[result.length - 1].lines.push(line);
  }
  return result;
}

const instruction = (stage: Stage, name: string) => stage.lines.filter((l) => l.toUpperCase().startsWith(`${name} `));

describe('the production image', () => {
  const all = stages(read('Dockerfile'));
  const [build, run] = [all[0], all[all.length - 1]];

  it('is multi-stage: a build stage installs everything and builds, the run stage copies only dist/ from it', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(instruction(build, 'RUN').join('\n')).toMatch(/npm ci(?! --omit)/);
    expect(instruction(build, 'RUN').join('\n')).toMatch(/npm run build/);
    expect(instruction(run, 'COPY').filter((l) => l.includes(`--from=${build.name}`))).toEqual([expect.stringMatching(/\/app\/dist/)]);
  });

  it('the run stage installs production dependencies only and runs with NODE_ENV=production', () => {
    const installs = instruction(run, 'RUN').join('\n').match(/npm (ci|install)[^&]*/g);
    expect(installs).toEqual(['npm ci --omit=dev ']);
    expect(instruction(run, 'ENV').join(' ')).toMatch(/NODE_ENV=production/);
  });

  it('runs as a non-root user that owns the data volume', () => {
    const [user] = instruction(run, 'USER').map((l) => l.split(/\s+/)[1]);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user.split(':')[0]);
    const volume = instruction(run, 'VOLUME').join(' ');
    const dir = /"([^"]+)"/.exec(volume)?.[1];
    expect(dir).toBe('/app/data');
    expect(instruction(run, 'RUN').join('\n')).toContain(`chown ${user}:${user} ${dir}`);
    expect(instruction(run, 'ENV').join(' ')).toContain(`DATABASE_URL=sqlite://${dir}/`);
  });

  it('exposes 3000 and checks its health with node against /health/ready', () => {
    expect(instruction(run, 'EXPOSE')).toEqual(['EXPOSE 3000']);
    expect(instruction(run, 'HEALTHCHECK').join('')).toMatch(/CMD \["node", "-e", ".*\/health\/ready/);
  });

  it('never copies the whole context: only named paths enter the image', () => {
    const copies = all.flatMap((s) => instruction(s, 'COPY')).concat(all.flatMap((s) => instruction(s, 'ADD')));
    expect(copies.filter((l) => /\s\.\s/.test(`${l} `))).toEqual([]);
  });

  it('.dockerignore keeps data, installs, builds, git, env files and generated secrets out of the context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['data', 'node_modules', 'dist', '.git', '.env', '.env.*', '**/.jwt-secret', '**/.encryption-key']) expect(ignored).toContain(entry);
  });

  it('docker-compose builds this Dockerfile for every gateway service and requires the production secrets', () => {
    // js-yaml leaves merge keys (<<: *hookgate) as they are: the shared block is read where it is defined.
    type Service = { build?: string; environment?: Record<string, string> };
    const compose = load(read('docker-compose.yml')) as { 'x-hookgate': Service; services: Record<string, Service & { '<<'?: Service }> };
    const gateway = compose['x-hookgate'];
    expect(gateway.build).toBe('.');
    expect(gateway.environment?.AUTH_JWT_SECRET).toMatch(/^\$\{AUTH_JWT_SECRET:\?/);
    expect(gateway.environment?.HOOKGATE_ENCRYPTION_KEY).toMatch(/^\$\{HOOKGATE_ENCRYPTION_KEY:\?/);
    const built = Object.entries(compose.services).filter(([, s]) => s['<<'] === gateway || s.build !== undefined);
    expect(built.map(([name]) => name)).toEqual(['api', 'worker-1', 'worker-2']);
    expect(built.every(([, s]) => s.build === undefined)).toBe(true);
  });
});
