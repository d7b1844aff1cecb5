/**
 * Summarises a V8 `.cpuprofile` (as written by `node --cpu-prof`) over a time window: self
 * time per function, inclusive time per function, and self time per area (our packages by
 * file, dependencies by package, Node internals, GC), each in microseconds per request.
 */
import { ROOT } from '../results.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
/** The parts of a `.cpuprofile` used here. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame; children?: number[] }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Microseconds per request, and the share of the window's samples. */
export interface ProfileRow {
  name: string;
  usPerReq: number;
  share: number;
}

export interface ProfileSummary {
  /** Sampled main-thread time in the window (idle left out), microseconds per request. */
  sampledUsPerReq: number;
  samples: number;
  byArea: ProfileRow[];
  selfByFunction: ProfileRow[];
  totalByFunction: ProfileRow[];
}

/** Where a frame's code lives: our package and file, a dependency's name, or a Node/V8 bucket. */
function areaOf({ url, functionName }: CallFrame): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'; // (garbage collector), (program), (idle)
  if (url.startsWith('node:')) return 'node internals';
  const ours = /packages\/(core|express|koa|redis)\/(?:src|dist)\/(.+)$/.exec(url);
  if (ours !== null) return `@sessionware/${ours[1]}: ${ours[2]}`;
  if (url.includes('/bench/apps/')) return 'bench app';
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return dependency?.[1] ?? url.replace(/^file:\/\//, '').replace(ROOT, '');
}

const functionKey = (frame: CallFrame): string => `${frame.functionName || '(anonymous)'}${frame.url === '' ? '' : ` ${areaOf(frame)}:${frame.lineNumber + 1}`}`;
const add = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

/**
 * Summarises the samples of `profile` taken in its last `windowSeconds` (the load window:
 * the profiled process exits right after the load), per request of `requests`.
 */
export function summarizeProfile(profile: CpuProfile, windowSeconds: number, requests: number, limit = 30): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const windowStart = profile.endTime - windowSeconds * 1e6;
  const [self, area, total] = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  let [time, previous, counted, windowTime] = [profile.startTime, profile.startTime, 0, 0];
  for (const [i, sample] of profile.samples.entries()) {
    time += profile.timeDeltas[i] ?? 0;
    if (time >= windowStart) windowTime += time - previous;
    previous = time;
    const leaf = byId.get(sample);
    if (time < windowStart || leaf === undefined) continue;
    counted += 1;
    add(self, functionKey(leaf.callFrame));
    add(area, areaOf(leaf.callFrame));
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node === undefined || node.callFrame.functionName === '(root)') continue;
      const key = functionKey(node.callFrame);
      if (!seen.has(key)) add(total, key);
      seen.add(key);
    }
  }
  if (counted === 0) throw new Error('the profile has no samples in the load window');
  const usPerSample = windowTime / counted;
  const rows = (counts: Map<string, number>): ProfileRow[] => [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, count]) => ({ name, usPerReq: (count * usPerSample) / requests, share: count / counted }));
  return {
    sampledUsPerReq: ((counted - (area.get('(idle)') ?? 0)) * usPerSample) / requests,
    samples: counted,
    byArea: rows(area),
    selfByFunction: rows(self),
    totalByFunction: rows(total),
  };
}
