/**
 * node dist/bench/profile-summary.js FILE.cpuprofile [TOP]: where a V8 CPU profile (node
 * --cpu-prof, e.g. from BENCH_PROFILE=dir npm run bench) spent its time — the top functions by
 * self time and by total time (a function counted once per sample, however deep it recurses),
 * and self time per package (node_modules/<name>, node: internals, the gateway's own code).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const where = ({ functionName, url, lineNumber }: ProfileNode['callFrame']): string => `${functionName || '(anonymous)'} ${url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '~/')}:${lineNumber + 1}`;

/** node_modules/<package> (scoped too), node:<internal>, the gateway (dist/), or V8's own entries ((garbage collector), (idle), …). */
function packageOf(url: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1];
  if (url.startsWith('node:')) return url.split('/')[0];
  return url ? 'hookgate' : '(v8)';
}

export function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const packages = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let all = 0;
  profile.samples.forEach((sample, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    all += ms;
    const leaf = byId.get(sample)!;
    add(self, where(leaf.callFrame), ms);
    add(packages, packageOf(leaf.callFrame.url) === '(v8)' ? leaf.callFrame.functionName : packageOf(leaf.callFrame.url), ms);
    const onStack = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) onStack.add(where(byId.get(id)!.callFrame));
    onStack.forEach((frame) => add(total, frame, ms));
  });
  const table = (title: string, map: Map<string, number>) =>
    [`${title} (of ${Math.round(all)} ms sampled)`, ...[...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / all).toFixed(1).padStart(5)}%  ${name}`)].join('\n');
  return [table('self time by package', packages), table('self time by function', self), table('total time by function', total)].join('\n\n');
}

if (require.main === module) {
  const [file, top = '25'] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist/bench/profile-summary.js FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top)));
}
