/**
 * Benchmark: link finding on adversarial text (issue 11, item 14). A 4 KB message of one URL
 * followed by 4,000 `)` took ~160 ms when every trimmed bracket recounted the link; the
 * figures here put it next to an ordinary 4 KB message with a few links in the same run, and
 * show the growth from 4 KB to 1 MB (linear: ~256×; the quadratic trim was ~65,000×).
 * Nothing passes or fails on time.
 *
 * Run: `npx tsx bench/links.ts`.
 */
import { pathToFileURL } from 'node:url';
import { findUrls } from '../src/music/links/findUrls.ts';
import { parseMessage } from '../src/music/links/parseMessage.ts';

/** Median of `runs` timings of `fn()`, in ms. */
function median(fn: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const ordinary = `${'слушай это https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=x и youtu.be/dQw4w9WgXcQ, '.repeat(60)}`.slice(0, 4096);
const cases: Array<[string, string]> = [
  ['ordinary 4 KB, ~40 links (baseline)', ordinary],
  ['one URL + 4,000 ")"', `https://a.com/x${')'.repeat(4_000)}`],
  ['one bare URL + 2,000 ")."', `youtu.be/x${').'.repeat(2_000)}`],
  ['one URL + 1 MiB of ")"', `https://a.com/x${')'.repeat(1 << 20)}`],
];

/** Prints the median time of findUrls and parseMessage for each case. */
export async function run(): Promise<void> {
  for (const [name, text] of cases) {
    const runs = text.length > 100_000 ? 5 : 200;
    median(() => parseMessage(text), Math.min(runs, 20)); // warm-up
    const find = median(() => findUrls(text), runs);
    const parse = median(() => parseMessage(text), runs);
    console.log(`${name.padEnd(40)} ${String(text.length).padStart(8)} chars  findUrls ${find.toFixed(3)} ms  parseMessage ${parse.toFixed(3)} ms`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
