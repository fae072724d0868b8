/**
 * The environment contract (docs/configuration.md), parsed once with zod into a frozen, typed
 * config. Nobody else reads `process.env`: `main.ts` calls {@link loadConfig} and passes the
 * result down.
 *
 * A bad or missing variable never becomes a stack trace: {@link loadConfig} throws a
 * {@link ConfigError} whose message has one line per offending variable, naming it and
 * saying what it should be. Optional features whose variables are absent are reported as
 * disabled in {@link Config.features} instead of failing start-up.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** Thrown by {@link loadConfig}; `problems` has one readable line per offending variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An absent or blank variable counts as unset, so `FOO=` in a .env file means "default". */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
/** The default goes through the same schema as a given value, so both come out the same type. */
const withDefault = <T extends z.ZodType>(schema: T, fallback: string) =>
  z.preprocess((v) => blankToUndefined(v) ?? fallback, schema);

const httpUrl = (what: string) =>
  z
    .string()
    .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), `must be an http(s) URL (${what})`)
    .transform((s) => s.replace(/\/+$/, ''));

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number between ${min} and ${max}`);

/** Spotify refuses `localhost` redirect URIs: HTTPS, or plain HTTP only on a loopback IP literal. */
const publicBaseUrl = z
  .string()
  .refine((s) => URL.canParse(s), 'must be a URL such as https://bot.example.com')
  .transform((s) => new URL(s))
  .refine(
    (u) => u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackLiteral(u.hostname)),
    'must be https://… (or http:// on a loopback IP such as 127.0.0.1; Spotify refuses "localhost")',
  )
  .refine((u) => u.hostname !== 'localhost', 'must not use "localhost": Spotify refuses it, use 127.0.0.1')
  .refine((u) => u.search === '' && u.hash === '', 'must have no query string or fragment')
  .transform((u) => u.href.replace(/\/+$/, ''));

function isLoopbackLiteral(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (isIP(h) === 4) return h.startsWith('127.');
  return isIP(h) === 6 && h === '::1';
}

const encryptionKey = z
  .string()
  .refine((s) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === 32, {
    message: 'must be base64 of 32 random bytes (generate one: openssl rand -base64 32)',
  })
  .transform((s) => Buffer.from(s, 'base64'));

const userIdList = z
  .string()
  .refine((s) => s.split(',').every((p) => /^\s*\d{1,15}\s*$/.test(p)), 'must be a comma-separated list of numeric Telegram user ids')
  .transform((s) => s.split(',').map((p) => Number(p.trim())));

/** What one process does (see {@link Config.role}). */
export const BOT_ROLES = ['all', 'web', 'worker'] as const;
export type BotRole = (typeof BOT_ROLES)[number];

const envSchema = z.object({
  BOT_TOKEN: z
    .string({ error: 'is missing: the bot token from @BotFather, like 123456789:AA…' })
    .regex(/^\d{5,}:[A-Za-z0-9_-]{30,}$/, 'must look like 123456789:AA… (the token from @BotFather)'),
  TELEGRAM_API_ROOT: withDefault(httpUrl('the Bot API root'), 'https://api.telegram.org'),
  BOT_MODE: withDefault(z.enum(['polling', 'webhook'], { error: 'must be "polling" or "webhook"' }), 'polling'),
  BOT_ROLE: withDefault(z.enum(BOT_ROLES, { error: 'must be "all", "web" or "worker"' }), 'all'),
  WEBHOOK_SECRET: opt(
    z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -'),
  ),
  PUBLIC_BASE_URL: opt(publicBaseUrl),
  HTTP_HOST: withDefault(z.string().min(1), '127.0.0.1'),
  HTTP_PORT: withDefault(intIn(0, 65535), '8080'),
  SPOTIFY_CLIENT_ID: opt(z.string().regex(/^[A-Za-z0-9]{16,64}$/, 'must be the Client ID from the Spotify dashboard')),
  SPOTIFY_CLIENT_SECRET: opt(z.string().regex(/^[A-Za-z0-9]{16,64}$/, 'must be the Client secret from the Spotify dashboard')),
  SPOTIFY_ACCOUNTS_URL: withDefault(httpUrl('the Spotify accounts service'), 'https://accounts.spotify.com'),
  SPOTIFY_API_URL: withDefault(httpUrl('the Spotify Web API base'), 'https://api.spotify.com/v1'),
  SPOTIFY_WEB_URL: withDefault(httpUrl("Spotify's public pages"), 'https://open.spotify.com'),
  DATA_DIR: withDefault(z.string().min(1), './data'),
  // Unset: the embedded LevelDB under DATA_DIR. Set: the shared PostgreSQL database.
  DATABASE_URL: opt(
    z
      .string()
      .refine((s) => URL.canParse(s) && /^postgres(ql)?:$/.test(new URL(s).protocol) && new URL(s).hostname !== '', 'must be a PostgreSQL URL such as postgres://bot:password@127.0.0.1:5432/musicbot'),
  ),
  DATABASE_SCHEMA: withDefault(z.string().regex(/^[a-z_][a-z0-9_]{0,47}$/, 'must be a lower-case SQL identifier such as musicbot'), 'eventlog'),
  // The file_id cache is the music module's own schema: a file_id is valid for one bot token only.
  DATABASE_MUSIC_SCHEMA: withDefault(z.string().regex(/^[a-z_][a-z0-9_]{0,47}$/, 'must be a lower-case SQL identifier such as musicbot_music'), 'music'),
  TOKEN_ENCRYPTION_KEY: z.preprocess(
    blankToUndefined,
    z.string({ error: 'is missing: base64 of 32 random bytes (generate one: openssl rand -base64 32)' }).pipe(encryptionKey),
  ),
  TOKEN_ENCRYPTION_KEYS_PREVIOUS: opt(
    z
      .string()
      .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
      .pipe(z.array(encryptionKey)),
  ),
  ALLOWED_TELEGRAM_USER_IDS: opt(userIdList),
  // A channel's id as Telegram prints it: -100 and its digits (a group's is negative too).
  STORAGE_CHAT_ID: opt(
    z
      .string()
      .regex(/^\s*-\d{1,15}\s*$/, 'must be the numeric id of a private channel, such as -1001234567890 (the bot must be an admin there)')
      .transform((s) => Number(s.trim())),
  ),
  YTDLP_PATH: withDefault(z.string().min(1), 'yt-dlp'),
  FFMPEG_PATH: withDefault(z.string().min(1), 'ffmpeg'),
  YTDLP_COOKIES: opt(z.string().min(1)),
  YTDLP_PROXY: opt(z.string().refine((s) => URL.canParse(s), 'must be a proxy URL such as socks5://127.0.0.1:1080')),
  YTDLP_AUTO_UPDATE: withDefault(z.stringbool({ error: 'must be 1 or 0 (also true/false, yes/no, on/off)' }), '0'),
  DEEZER_API_URL: withDefault(httpUrl('the Deezer API'), 'https://api.deezer.com'),
  ITUNES_API_URL: withDefault(httpUrl('the iTunes lookup API'), 'https://itunes.apple.com'),
  APPLE_MUSIC_API_URL: withDefault(httpUrl('the Apple Music API'), 'https://api.music.apple.com'),
  // A MusicKit developer token (a JWT: three base64url parts); only Apple Music playlists need it.
  APPLE_MUSIC_TOKEN: opt(z.string().regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a MusicKit developer token (a JWT of three dot-separated parts)')),
  YANDEX_MUSIC_API_URL: withDefault(httpUrl('the Yandex Music API'), 'https://api.music.yandex.net'),
  ODESLI_API_URL: opt(httpUrl('the Odesli API')),
  ODESLI_API_KEY: opt(z.string().min(1)),
  // Unset → LRCLIB itself; set but empty → lyrics off (unlike other variables, blank is not "default").
  LRCLIB_API_URL: z.preprocess(
    (v) => (v === undefined ? 'https://lrclib.net' : typeof v === 'string' && v.trim() === '' ? '' : v),
    z
      .string()
      .refine((s) => s === '' || (URL.canParse(s) && /^https?:$/.test(new URL(s).protocol)), 'must be an http(s) URL (the LRCLIB lyrics API), or empty to turn lyrics off')
      .transform((s) => s.replace(/\/+$/, '')),
  ),
  MAX_TRACK_SECONDS: withDefault(intIn(10, 24 * 3600), '1200'),
  MAX_UPLOAD_MB: withDefault(intIn(1, 2000), '50'),
  DOWNLOAD_CONCURRENCY: withDefault(intIn(1, 16), '2'),
  // With DATABASE_URL: jobs running at once across every worker process.
  DOWNLOAD_GLOBAL_CONCURRENCY: withDefault(intIn(1, 256), '4'),
  // A list message holds at most 100 buttons: one per track and "Send all".
  MAX_COLLECTION_TRACKS: withDefault(intIn(1, 99), '25'),
  LOG_LEVEL: withDefault(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }), 'info'),
});

/** A feature that can be off because the operator did not configure it. */
export interface FeatureState {
  readonly enabled: boolean;
  /** Why it is off, naming the variables to set; undefined when enabled. */
  readonly reason?: string;
}

/** The parsed, frozen configuration. */
export interface Config {
  readonly telegram: {
    readonly token: string;
    readonly apiRoot: string;
    readonly mode: 'polling' | 'webhook';
    readonly webhookSecret?: string;
    readonly allowedUserIds?: readonly number[];
    /** `STORAGE_CHAT_ID`: the private channel inline-search uploads go to (else the chooser's private chat). */
    readonly storageChatId?: number;
  };
  readonly http: { readonly host: string; readonly port: number; readonly publicBaseUrl?: string };
  readonly spotify: {
    readonly clientId?: string;
    readonly clientSecret?: string;
    readonly accountsUrl: string;
    readonly apiUrl: string;
    /** `PUBLIC_BASE_URL` + `/oauth/spotify/callback`, when a public base is set. */
    readonly redirectUri?: string;
  };
  readonly storage: {
    readonly dataDir: string;
    /** `DATABASE_URL`: PostgreSQL holds the log, the vault and the file_id cache instead of LevelDB. */
    readonly database?: { readonly url: string; readonly schema: string; readonly musicSchema: string };
    readonly masterKey: Buffer;
    readonly previousMasterKeys: readonly Buffer[];
  };
  readonly music: {
    readonly ytdlpPath: string;
    readonly ffmpegPath: string;
    readonly ytdlpCookies?: string;
    readonly ytdlpProxy?: string;
    /** `YTDLP_AUTO_UPDATE`: update yt-dlp in place at start-up and weekly (`src/music/tools/ytDlpUpkeep.ts`); always set by {@link loadConfig}, optional for hand-built configs (tests). */
    readonly ytdlpAutoUpdate?: boolean;
    readonly deezerApiUrl: string;
    readonly itunesApiUrl: string;
    /** `APPLE_MUSIC_API_URL` and `APPLE_MUSIC_TOKEN`: Apple Music playlists; absent without a token. */
    readonly appleMusic?: { readonly apiUrl: string; readonly token: string };
    readonly yandexMusicApiUrl: string;
    /**
     * Spotify's public pages (`SPOTIFY_WEB_URL`): the track-page fallback and `/s/<code>` share
     * links. Always set by {@link loadConfig}; optional so hand-built test configs may omit it.
     */
    readonly spotifyWebUrl?: string;
    readonly odesli?: { readonly apiUrl: string; readonly apiKey?: string };
    /** `LRCLIB_API_URL`: lyrics for `/lyrics` and the audio's tags; undefined when lyrics are off. */
    readonly lrclibApiUrl?: string;
    readonly maxTrackSeconds: number;
    readonly maxUploadMb: number;
    /** `DOWNLOAD_CONCURRENCY`: jobs this process runs at once. */
    readonly downloadConcurrency: number;
    /** `DOWNLOAD_GLOBAL_CONCURRENCY`: with `DATABASE_URL`, jobs running at once across every worker (default 4). */
    readonly downloadGlobalConcurrency?: number;
    /** `MAX_COLLECTION_TRACKS`: tracks an album's or playlist's list shows and "Send all" sends (default 25). */
    readonly maxCollectionTracks?: number;
  };
  /**
   * `BOT_ROLE`: `all` (default) does everything in one process; `web` takes updates and OAuth
   * callbacks and queues downloads; `worker` only runs downloads. `web` and `worker` need `DATABASE_URL`.
   */
  readonly role: BotRole;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly features: {
    /** Spotify metadata with the app's own token (needs the client id and secret). */
    readonly spotify: FeatureState;
    /** `/login` and everything per user (also needs `PUBLIC_BASE_URL` for the redirect URI). */
    readonly spotifyLogin: FeatureState;
    readonly odesli: FeatureState;
  };
}

/** The path of the OAuth callback on the bot's own HTTP server. */
export const CALLBACK_PATH = '/oauth/spotify/callback';

/**
 * Parses the environment. Throws {@link ConfigError} naming every offending variable.
 *
 * @example
 * const config = loadConfig(process.env);
 * if (!config.features.spotifyLogin.enabled) log.warn(config.features.spotifyLogin.reason);
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      if (seen.has(name)) continue;
      seen.add(name);
      const message = issue.message.startsWith('is missing') ? issue.message : issue.code === 'invalid_type' ? 'is missing' : issue.message;
      problems.push(`${name} ${message}`);
    }
  }
  // Cross-variable rules read the raw values so they are reported together with the rest.
  const set = (name: string) => blankToUndefined(env[name]) !== undefined;
  if (env.BOT_MODE?.trim() === 'webhook') {
    if (!set('WEBHOOK_SECRET')) problems.push('WEBHOOK_SECRET is required when BOT_MODE=webhook (16–256 characters of A-Z, a-z, 0-9, _ and -)');
    if (!set('PUBLIC_BASE_URL')) problems.push('PUBLIC_BASE_URL is required when BOT_MODE=webhook (the public HTTPS base Telegram posts to)');
  }
  const role = env.BOT_ROLE?.trim();
  if ((role === 'web' || role === 'worker') && !set('DATABASE_URL')) {
    problems.push(`BOT_ROLE=${role} needs DATABASE_URL: web and worker processes share the event log and the download queue in PostgreSQL`);
  }
  if (set('SPOTIFY_CLIENT_ID') !== set('SPOTIFY_CLIENT_SECRET')) {
    const missing = set('SPOTIFY_CLIENT_ID') ? 'SPOTIFY_CLIENT_SECRET' : 'SPOTIFY_CLIENT_ID';
    problems.push(`${missing} is missing: set both SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET, or neither`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const spotifyOn = Boolean(e.SPOTIFY_CLIENT_ID && e.SPOTIFY_CLIENT_SECRET);
  const spotify: FeatureState = spotifyOn
    ? { enabled: true }
    : { enabled: false, reason: 'Spotify features are off: set SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET' };
  const spotifyLogin: FeatureState = !spotifyOn
    ? { enabled: false, reason: '/login is off: set SPOTIFY_CLIENT_ID, SPOTIFY_CLIENT_SECRET and PUBLIC_BASE_URL' }
    : e.PUBLIC_BASE_URL
      ? { enabled: true }
      : { enabled: false, reason: '/login is off: set PUBLIC_BASE_URL (the tunnel’s HTTPS address) for the OAuth redirect URI' };

  return deepFreeze<Config>({
    telegram: {
      token: e.BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT,
      mode: e.BOT_MODE,
      webhookSecret: e.WEBHOOK_SECRET,
      allowedUserIds: e.ALLOWED_TELEGRAM_USER_IDS,
      storageChatId: e.STORAGE_CHAT_ID,
    },
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT, publicBaseUrl: e.PUBLIC_BASE_URL },
    spotify: {
      clientId: e.SPOTIFY_CLIENT_ID,
      clientSecret: e.SPOTIFY_CLIENT_SECRET,
      accountsUrl: e.SPOTIFY_ACCOUNTS_URL,
      apiUrl: e.SPOTIFY_API_URL,
      redirectUri: e.PUBLIC_BASE_URL ? e.PUBLIC_BASE_URL + CALLBACK_PATH : undefined,
    },
    storage: {
      dataDir: e.DATA_DIR,
      database: e.DATABASE_URL ? { url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA, musicSchema: e.DATABASE_MUSIC_SCHEMA } : undefined,
      masterKey: e.TOKEN_ENCRYPTION_KEY,
      previousMasterKeys: e.TOKEN_ENCRYPTION_KEYS_PREVIOUS ?? [],
    },
    music: {
      ytdlpPath: e.YTDLP_PATH,
      ffmpegPath: e.FFMPEG_PATH,
      ytdlpCookies: e.YTDLP_COOKIES,
      ytdlpProxy: e.YTDLP_PROXY,
      ytdlpAutoUpdate: e.YTDLP_AUTO_UPDATE,
      deezerApiUrl: e.DEEZER_API_URL,
      itunesApiUrl: e.ITUNES_API_URL,
      appleMusic: e.APPLE_MUSIC_TOKEN ? { apiUrl: e.APPLE_MUSIC_API_URL, token: e.APPLE_MUSIC_TOKEN } : undefined,
      yandexMusicApiUrl: e.YANDEX_MUSIC_API_URL,
      spotifyWebUrl: e.SPOTIFY_WEB_URL,
      odesli: e.ODESLI_API_URL ? { apiUrl: e.ODESLI_API_URL, apiKey: e.ODESLI_API_KEY } : undefined,
      lrclibApiUrl: e.LRCLIB_API_URL || undefined,
      maxTrackSeconds: e.MAX_TRACK_SECONDS,
      maxUploadMb: e.MAX_UPLOAD_MB,
      downloadConcurrency: e.DOWNLOAD_CONCURRENCY,
      downloadGlobalConcurrency: e.DOWNLOAD_GLOBAL_CONCURRENCY,
      maxCollectionTracks: e.MAX_COLLECTION_TRACKS,
    },
    role: e.BOT_ROLE,
    logLevel: e.LOG_LEVEL,
    features: {
      spotify,
      spotifyLogin,
      odesli: e.ODESLI_API_URL ? { enabled: true } : { enabled: false, reason: 'Odesli resolver is off (ODESLI_API_URL unset)' },
    },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
