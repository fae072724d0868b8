/**
 * The dependency list says what the bot needs, no more: every runtime dependency is imported
 * by the code the bot runs (or runs it: tsx), test-only packages are devDependencies (the
 * Docker image installs with `--omit=dev`), every import is declared, the lock matches
 * package.json, install scripts are declared for exactly the packages that have them (npm 11
 * warns on `npm ci` otherwise), and the Docker base images are pinned.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; hasInstallScript?: boolean; version?: string }>;
};

/** What the bot runs: `npm start`, the replay CLI (backups) and the viz dev tool all live here. */
const PRODUCTION_DIRS = ['src', 'eventlog', 'machines'];
const DEV_DIRS = ['test', 'bench', 'scripts'];
/** Packages the code never imports but runs: `npm start` is `tsx src/main.ts`. */
const RUN_NOT_IMPORTED = new Set(['tsx']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'fixtures-out' ? [] : tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`); undefined for node: and relative ones. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages imported by the files under `dirs`: at run time, and by `import type` only. */
function importsOf(dirs: readonly string[]): { runtime: Set<string>; typeOnly: Set<string> } {
  const runtime = new Set<string>();
  const typeOnly = new Set<string>();
  const statement = /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
  const dynamic = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const file of dirs.flatMap((d) => tsFiles(join(root, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(statement)) {
      const name = packageOf(m[2]!);
      if (name) (m[1] ? typeOnly : runtime).add(name);
    }
    for (const m of text.matchAll(dynamic)) {
      const name = packageOf(m[1]!);
      if (name) runtime.add(name);
    }
  }
  for (const name of runtime) typeOnly.delete(name);
  return { runtime, typeOnly };
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

const Deps = suite('dependencies');

Deps('every runtime dependency is used by the bot, and everything the bot imports is a runtime dependency', () => {
  const { runtime } = importsOf(PRODUCTION_DIRS);
  const declared = Object.keys(pkg.dependencies);
  assert.equal(sorted(declared.filter((d) => !runtime.has(d) && !RUN_NOT_IMPORTED.has(d))), [], 'unused runtime dependencies');
  assert.equal(sorted([...runtime].filter((d) => !declared.includes(d))), [], 'imported by the bot but not in "dependencies"');
  assert.ok(declared.includes('tsx'), 'npm start runs tsx: it stays a dependency');
});

Deps('test-only and type-only packages are devDependencies, and every import is declared', () => {
  const production = importsOf(PRODUCTION_DIRS);
  const dev = importsOf(DEV_DIRS);
  const all = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
  const used = new Set([...production.runtime, ...production.typeOnly, ...dev.runtime, ...dev.typeOnly]);
  assert.equal(sorted([...used].filter((d) => !all.has(d))), [], 'imported but not declared');
  assert.equal(sorted([...production.typeOnly].filter((d) => d in pkg.dependencies)), [], 'type-only imports need no runtime install');
  for (const name of Object.keys(pkg.devDependencies)) {
    assert.not.ok(production.runtime.has(name), `${name} is imported by the bot at run time, so it cannot be a devDependency`);
  }
});

Deps('every version is pinned and the lock file matches package.json', () => {
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned to one version`);
    assert.is(lock.packages[`node_modules/${name}`]?.version, version, `the lock installs ${name}@${version}`);
  }
  assert.equal(lock.packages['']?.dependencies, pkg.dependencies);
  assert.equal(lock.packages['']?.devDependencies, pkg.devDependencies);
});

Deps('install scripts are allowed for exactly the locked packages that have them', () => {
  const withScripts = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  assert.ok(withScripts.length > 0);
  assert.equal(sorted(Object.keys(pkg.allowScripts ?? {})), sorted(new Set(withScripts)));
  assert.ok(Object.values(pkg.allowScripts ?? {}).every((v) => v === true));
});

Deps('the Docker base images are pinned by full version tag and digest', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S*)$/gm)].map((m) => [m[1]!, m[2]!]));
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!.replace(/^\$\{(\w+)\}$/, (_, a: string) => args[a] ?? ''));
  assert.ok(froms.length >= 2);
  for (const image of froms) {
    assert.match(image, /^[\w./-]+:[\w.-]*\d+\.\d+\.\d+[\w.-]*@sha256:[0-9a-f]{64}$/, `${image}: name:<full version>@sha256:<digest>`);
  }
});

Deps.run();
