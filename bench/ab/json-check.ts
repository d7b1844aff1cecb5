/**
 * The cost of the O2 check next to the JSON.stringify the commit does anyway, in ns per call:
 *
 *   node --conditions=sessionware-source --import tsx bench/ab/json-check.ts
 *
 * Wall-clock and noisy (a few percent run to run): for the order of magnitude only.
 */
import { checkJsonValue } from '../../packages/core/src/internal/json-value.js';

const cases: Array<[string, unknown, number]> = [
  ['a number', 5, 2_000_000],
  ['a cart: 10 items of 3 keys, with a 2-string array each', { items: Array.from({ length: 10 }, (_, i) => ({ id: `sku-${i}`, qty: i, tags: ['a', 'b'] })), total: 12.5, note: 'hello' }, 200_000],
  ['5,000 numbers in an array', Array.from({ length: 5_000 }, (_, i) => i), 2_000],
  ['1,000 objects of 2 keys in an array', Array.from({ length: 1_000 }, (_, i) => ({ id: i, name: `n${i}` })), 2_000],
];

function nsPerCall(call: () => void, times: number): number {
  for (let i = 0; i < times / 10; i += 1) call();
  const start = process.hrtime.bigint();
  for (let i = 0; i < times; i += 1) call();
  return Number(process.hrtime.bigint() - start) / times;
}

for (const [what, value, times] of cases) {
  const stringify = nsPerCall(() => JSON.stringify(value), times);
  const check = nsPerCall(() => checkJsonValue('k', value), times);
  console.log(`${what}: JSON.stringify ${stringify.toFixed(0)} ns, checkJsonValue ${check.toFixed(0)} ns`);
}
