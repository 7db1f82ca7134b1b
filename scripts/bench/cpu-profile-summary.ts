import { readFileSync } from 'node:fs';

/**
 * Where a CPU profile (`node --cpu-prof`, e.g. from INBOUND_BENCH_CPU_PROF) spent its time: self time by
 * function and by package, the biggest first. `node dist/scripts/bench/cpu-profile-summary.js FILE [TOP] [FROM-TO]`:
 * FROM-TO (seconds since the profile began, e.g. `52-72`) keeps only the samples of that window, such as
 * the load step of a bench; the busy share of every 5 s is printed to find it.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

function main(): void {
  const [file, top = '40', window] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-summary.js FILE.cpuprofile [TOP] [FROM-TO seconds]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
    endTime: number;
  };
  const [from, to] = window ? window.split('-').map(Number) : [0, Infinity];
  const idleId = profile.nodes.find((node) => node.callFrame.functionName === '(idle)')?.id;
  const hits = new Map<number, number>();
  const busyBySlice = new Map<number, { busy: number; all: number }>();
  let at = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const second = at / 1e6;
    const slice = busyBySlice.get(Math.floor(second / 5)) ?? { busy: 0, all: 0 };
    slice.all++;
    if (id !== idleId) slice.busy++;
    busyBySlice.set(Math.floor(second / 5), slice);
    if (second < from || second >= to) return;
    total++;
    hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  console.log('busy share of each 5 s since the profile began:');
  console.log([...busyBySlice].map(([slice, s]) => `${slice * 5}s ${Math.round((100 * s.busy) / s.all)}%`).join(', '));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  // Node's own code and native calls (a socket write, a JSON parse) charged to the package that called them.
  const byCaller = new Map<string, number>();
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const callerOf = (node: ProfileNode): string => {
    for (let at: ProfileNode | undefined = node; at; at = parent.get(at.id)) {
      const name = packageOf(at.callFrame.url, at.callFrame.functionName);
      if (name === '(idle)' || name === '(garbage collector)' || name === '(program)') return name;
      if (name !== '(native)' && !name.startsWith('node:')) return name;
    }
    return packageOf(node.callFrame.url, node.callFrame.functionName);
  };
  for (const node of profile.nodes) {
    const n = hits.get(node.id) ?? 0;
    if (!n) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|dist)\//, '$1/');
    const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + n);
    byPackage.set(packageOf(url, functionName), (byPackage.get(packageOf(url, functionName)) ?? 0) + n);
    const caller = callerOf(nodes.get(node.id)!);
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + n);
  }
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
      console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${name}`);
    }
  };
  const span = window ? `the window ${from}-${to} s of ` : '';
  console.log(`${total} samples over ${span}${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s`);
  print('self time by package', byPackage);
  print("self time by package, Node's own code charged to the package calling it", byCaller);
  print('self time by function', byFunction);
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return url;
  const own = /dist\/([^/]+\/[^/]+)/.exec(url);
  return own ? `our ${own[1]}` : url;
}

main();
