/**
 * `npm run bench -- <name...>`: runs the named benchmarks (all when none is named).
 * Each prints its own figures as ratios against a baseline measured in the same run;
 * nothing here passes or fails on time.
 */
const available: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  eventlog: () => import('./eventlog.ts'),
  link: () => import('./link.ts'),
  http: () => import('./http.ts'),
  bot: () => import('./bot.ts'),
  abuse: () => import('./abuse.ts'),
  music: () => import('./music.ts'),
  links: () => import('./links.ts'),
  search: () => import('./search.ts'),
  scale: () => import('./scale.ts'),
};

const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !(n in available));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${Object.keys(available).join(', ')})`);
  process.exit(2);
}
for (const name of asked.length > 0 ? asked : Object.keys(available)) {
  console.log(`\n== bench ${name} ==`);
  const mod = await available[name]!();
  await mod.run();
}
