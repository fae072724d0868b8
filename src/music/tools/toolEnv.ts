/**
 * The environment a maintenance child process (yt-dlp `--version`, pip, `yt-dlp -U`) gets:
 * only what a tool needs to find programs, write its caches, speak the locale and reach the
 * network through the operator's proxy. Everything else – `BOT_TOKEN`,
 * `TOKEN_ENCRYPTION_KEY`, `SPOTIFY_CLIENT_SECRET`, whatever `.env` loaded – stays in the bot:
 * pip runs code from the internet (build hooks of the packages it installs), so it must not
 * see a secret it could leak.
 *
 * @example
 * await runProcess(python, ['-m', 'pip', '--version'], { tool: 'pip', timeoutMs: 5_000, env: toolEnv(process.env) });
 */

/** Exact names passed on (upper and lower case forms of the proxy variables are both in use). */
const PASSED: ReadonlySet<string> = new Set([
  'PATH',
  'HOME',
  'TMPDIR',
  'LANG',
  'LANGUAGE',
  'TZ',
  'http_proxy',
  'https_proxy',
  'all_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
]);

/** `LC_ALL`, `LC_CTYPE`, … (Python picks its text encoding from them). */
const LOCALE = /^LC_[A-Z]+$/;

/**
 * Picks the allowed variables out of `source` (normally `process.env`, which a child would
 * otherwise inherit whole). Variables not set in `source` stay unset.
 */
export function toolEnv(source: Readonly<Record<string, string | undefined>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && (PASSED.has(name) || LOCALE.test(name))) env[name] = value;
  }
  return env;
}
