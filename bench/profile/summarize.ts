/**
 * Summarises a V8 `.cpuprofile` (as written by `node --cpu-prof`) over a time window: self
 * time per function, inclusive time per function, and self time per area (our packages by
 * file, dependencies by package, Node internals, GC), each in microseconds per request.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
/** The parts of a `.cpuprofile` used here. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  /** Microseconds per request. */
  usPerReq: number;
  /** Share of the window's samples. */
  share: number;
}

export interface ProfileSummary {
  /** Sampled main-thread time in the window, microseconds per request. */
  sampledUsPerReq: number;
  samples: number;
  byArea: ProfileRow[];
  selfByFunction: ProfileRow[];
  totalByFunction: ProfileRow[];
}

import { ROOT } from '../results.js';

/** Where a frame's code lives: our package and file, a dependency's name, or a Node/V8 bucket. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle)
    return '(native)';
  }
  if (url.startsWith('node:')) return 'node internals';
  // Our packages, from their sources or from their build.
  const ours = /packages\/(core|express|koa|redis)\/(?:src|dist)\/(.+)$/.exec(url);
  if (ours !== null) return `@sessionware/${ours[1]}: ${ours[2]}`;
  if (url.includes('/bench/apps/')) return 'bench app';
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (dependency !== null) return dependency[1] ?? url;
  return url.replace(/^file:\/\//, '').replace(ROOT, '');
}

function functionKey(frame: CallFrame): string {
  const where = frame.url === '' ? '' : ` ${areaOf(frame)}:${frame.lineNumber + 1}`;
  return `${frame.functionName || '(anonymous)'}${where}`;
}

function rows(counts: Map<string, number>, samples: number, usPerSample: number, requests: number, limit: number): ProfileRow[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, count]) => ({ name, usPerReq: (count * usPerSample) / requests, share: count / samples }));
}

/**
 * Summarises the samples of `profile` taken in its last `windowSeconds` (the load window:
 * the profiled process exits right after the load), per request of `requests`.
 */
export function summarizeProfile(profile: CpuProfile, windowSeconds: number, requests: number, limit = 30): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const windowStart = profile.endTime - windowSeconds * 1e6;
  const self = new Map<string, number>();
  const area = new Map<string, number>();
  const total = new Map<string, number>();
  let time = profile.startTime;
  let counted = 0;
  let windowTime = 0;
  let previous = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    time += profile.timeDeltas[i] ?? 0;
    if (time < windowStart) {
      previous = time;
      continue;
    }
    windowTime += time - previous;
    previous = time;
    const leaf = byId.get(profile.samples[i] ?? -1);
    if (leaf === undefined) continue;
    counted += 1;
    const leafKey = functionKey(leaf.callFrame);
    self.set(leafKey, (self.get(leafKey) ?? 0) + 1);
    const leafArea = areaOf(leaf.callFrame);
    area.set(leafArea, (area.get(leafArea) ?? 0) + 1);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (node === undefined || node.callFrame.functionName === '(root)') continue;
      const key = functionKey(node.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + 1);
    }
  }
  if (counted === 0) throw new Error('the profile has no samples in the load window');
  const usPerSample = windowTime / counted;
  const idle = area.get('(idle)') ?? 0;
  return {
    sampledUsPerReq: ((counted - idle) * usPerSample) / requests,
    samples: counted,
    byArea: rows(area, counted, usPerSample, requests, limit),
    selfByFunction: rows(self, counted, usPerSample, requests, limit),
    totalByFunction: rows(total, counted, usPerSample, requests, limit),
  };
}
