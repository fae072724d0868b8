import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigError, loadConfig } from '../src/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const minimal = { BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', TOKEN_ENCRYPTION_KEY: KEY };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    assert.instance(err, ConfigError);
    return [...(err as ConfigError).problems];
  }
  assert.unreachable('config should have been refused');
  return [];
}

const Config = suite('config');

Config('the two required variables are enough; everything else has its documented default', () => {
  const c = loadConfig(minimal);
  assert.is(c.telegram.apiRoot, 'https://api.telegram.org');
  assert.is(c.telegram.mode, 'polling');
  assert.is(c.http.host, '127.0.0.1');
  assert.is(c.http.port, 8080);
  assert.is(c.storage.dataDir, './data');
  assert.is(c.storage.masterKey.length, 32);
  assert.is(c.spotify.accountsUrl, 'https://accounts.spotify.com');
  assert.is(c.spotify.apiUrl, 'https://api.spotify.com/v1');
  assert.is(c.music.maxTrackSeconds, 1200);
  assert.is(c.music.maxUploadMb, 50);
  assert.is(c.music.downloadConcurrency, 2);
  assert.is(c.music.ytdlpPath, 'yt-dlp');
  assert.is(c.logLevel, 'info');
});

Config('absent Spotify variables switch Spotify features off instead of failing', () => {
  const c = loadConfig(minimal);
  assert.is(c.features.spotify.enabled, false);
  assert.match(c.features.spotify.reason ?? '', 'SPOTIFY_CLIENT_ID');
  assert.is(c.features.spotifyLogin.enabled, false);
  const withSpotify = loadConfig({ ...minimal, SPOTIFY_CLIENT_ID: 'a'.repeat(32), SPOTIFY_CLIENT_SECRET: 'b'.repeat(32) });
  assert.is(withSpotify.features.spotify.enabled, true);
  assert.is(withSpotify.features.spotifyLogin.enabled, false, 'login still needs PUBLIC_BASE_URL');
  assert.match(withSpotify.features.spotifyLogin.reason ?? '', 'PUBLIC_BASE_URL');
  const full = loadConfig({ ...minimal, SPOTIFY_CLIENT_ID: 'a'.repeat(32), SPOTIFY_CLIENT_SECRET: 'b'.repeat(32), PUBLIC_BASE_URL: 'https://bot.example.com/' });
  assert.is(full.features.spotifyLogin.enabled, true);
  assert.is(full.spotify.redirectUri, 'https://bot.example.com/oauth/spotify/callback');
});

Config('every offending variable is named, one line each', () => {
  const problems = problemsOf({ HTTP_PORT: 'eighty', BOT_MODE: 'webhook', SPOTIFY_CLIENT_ID: 'a'.repeat(32) });
  const named = (v: string) => problems.some((p) => p.startsWith(v + ' '));
  for (const v of ['BOT_TOKEN', 'TOKEN_ENCRYPTION_KEY', 'HTTP_PORT', 'WEBHOOK_SECRET', 'PUBLIC_BASE_URL', 'SPOTIFY_CLIENT_SECRET']) {
    assert.ok(named(v), `${v} should be named in:\n${problems.join('\n')}`);
  }
  assert.ok(problems.every((p) => !p.includes('\n')), 'each problem is a single line');
});

Config('a missing variable gives exactly one clear line naming it', () => {
  const problems = problemsOf({ TOKEN_ENCRYPTION_KEY: KEY });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^BOT_TOKEN is missing/);
});

Config('a key that is not 32 bytes of base64 is refused with the command to make one', () => {
  const [p] = problemsOf({ ...minimal, TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') });
  assert.match(p!, 'TOKEN_ENCRYPTION_KEY');
  assert.match(p!, 'openssl rand -base64 32');
});

Config('PUBLIC_BASE_URL must be HTTPS or a loopback IP literal, never localhost', () => {
  assert.ok(loadConfig({ ...minimal, PUBLIC_BASE_URL: 'http://127.0.0.1:8080' }).http.publicBaseUrl);
  assert.ok(loadConfig({ ...minimal, PUBLIC_BASE_URL: 'http://[::1]:8080' }).http.publicBaseUrl);
  for (const bad of ['http://localhost:8080', 'https://localhost', 'http://bot.example.com', 'ftp://x', 'https://x.example.com/?a=1', 'not a url']) {
    const problems = problemsOf({ ...minimal, PUBLIC_BASE_URL: bad });
    assert.ok(problems.some((p) => p.startsWith('PUBLIC_BASE_URL')), bad);
  }
});

Config('the allowlist is parsed into numbers and junk in it is refused', () => {
  assert.equal(loadConfig({ ...minimal, ALLOWED_TELEGRAM_USER_IDS: '1, 22,333' }).telegram.allowedUserIds, [1, 22, 333]);
  assert.ok(problemsOf({ ...minimal, ALLOWED_TELEGRAM_USER_IDS: '1,@bob' })[0]!.startsWith('ALLOWED_TELEGRAM_USER_IDS'));
});

Config('blank values mean "use the default" and the result is frozen', () => {
  const c = loadConfig({ ...minimal, HTTP_PORT: '', LOG_LEVEL: ' ' });
  assert.is(c.http.port, 8080);
  assert.is(c.logLevel, 'info');
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.http) && Object.isFrozen(c.features.spotify));
});

Config('messages never echo the secret values that were given', () => {
  const secret = 'S3cretS3cretS3cretS3cret!!';
  const problems = problemsOf({ BOT_TOKEN: secret, TOKEN_ENCRYPTION_KEY: secret, SPOTIFY_CLIENT_SECRET: secret });
  assert.not.ok(problems.join('\n').includes(secret));
});

Config('YTDLP_AUTO_UPDATE is off by default, on with 1/true/yes, and junk is named', () => {
  assert.is(loadConfig(minimal).music.ytdlpAutoUpdate, false);
  assert.is(loadConfig({ ...minimal, YTDLP_AUTO_UPDATE: '' }).music.ytdlpAutoUpdate, false);
  for (const on of ['1', 'true', 'yes', 'on']) assert.is(loadConfig({ ...minimal, YTDLP_AUTO_UPDATE: on }).music.ytdlpAutoUpdate, true, on);
  assert.is(loadConfig({ ...minimal, YTDLP_AUTO_UPDATE: '0' }).music.ytdlpAutoUpdate, false);
  assert.equal(problemsOf({ ...minimal, YTDLP_AUTO_UPDATE: 'weekly' }), ['YTDLP_AUTO_UPDATE must be 1 or 0 (also true/false, yes/no, on/off)']);
});

Config('SPOTIFY_WEB_URL defaults to open.spotify.com, can point at a mirror, and a non-URL is named', () => {
  assert.is(loadConfig(minimal).music.spotifyWebUrl, 'https://open.spotify.com');
  assert.is(loadConfig({ ...minimal, SPOTIFY_WEB_URL: 'http://127.0.0.1:9000/spotify' }).music.spotifyWebUrl, 'http://127.0.0.1:9000/spotify');
  const problems = problemsOf({ ...minimal, SPOTIFY_WEB_URL: 'open.spotify.com' });
  assert.is(problems.length, 1);
  assert.match(problems[0]!, /^SPOTIFY_WEB_URL /);
});

Config('LRCLIB_API_URL defaults to lrclib.net, an empty value turns lyrics off, and a non-URL is named', () => {
  assert.is(loadConfig(minimal).music.lrclibApiUrl, 'https://lrclib.net');
  assert.is(loadConfig({ ...minimal, LRCLIB_API_URL: 'http://127.0.0.1:9/' }).music.lrclibApiUrl, 'http://127.0.0.1:9');
  assert.is(loadConfig({ ...minimal, LRCLIB_API_URL: '' }).music.lrclibApiUrl, undefined);
  assert.match(problemsOf({ ...minimal, LRCLIB_API_URL: 'lrclib' }).join('\n'), 'LRCLIB_API_URL must be an http(s) URL');
});

Config('MAX_COLLECTION_TRACKS defaults to 25 and stays within the 100 buttons of a message', () => {
  assert.is(loadConfig(minimal).music.maxCollectionTracks, 25);
  assert.is(loadConfig({ ...minimal, MAX_COLLECTION_TRACKS: '50' }).music.maxCollectionTracks, 50);
  for (const bad of ['0', '100', 'lots']) {
    const problems = problemsOf({ ...minimal, MAX_COLLECTION_TRACKS: bad });
    assert.is(problems.length, 1, bad);
    assert.match(problems[0]!, /^MAX_COLLECTION_TRACKS /);
  }
});

Config('STORAGE_CHAT_ID takes a channel id and names anything else', () => {
  assert.is(loadConfig(minimal).telegram.storageChatId, undefined);
  assert.is(loadConfig({ ...minimal, STORAGE_CHAT_ID: '-1001234567890' }).telegram.storageChatId, -1001234567890);
  for (const bad of ['@mychannel', '1234', '-100abc']) {
    assert.match(problemsOf({ ...minimal, STORAGE_CHAT_ID: bad }).join('\n'), /^STORAGE_CHAT_ID must be the numeric id of a private channel/, bad);
  }
});

Config('APPLE_MUSIC_TOKEN turns Apple Music playlists on and must look like a developer token', () => {
  assert.is(loadConfig(minimal).music.appleMusic, undefined);
  assert.equal(loadConfig({ ...minimal, APPLE_MUSIC_TOKEN: 'aaa.bbb.ccc' }).music.appleMusic, { apiUrl: 'https://api.music.apple.com', token: 'aaa.bbb.ccc' });
  const problems = problemsOf({ ...minimal, APPLE_MUSIC_TOKEN: 'not a jwt' });
  assert.match(problems.join('\n'), /^APPLE_MUSIC_TOKEN must be a MusicKit developer token/);
  assert.not.match(problems.join('\n'), 'not a jwt', 'the value itself is never echoed');
});

Config('DATABASE_URL: unset keeps LevelDB; a PostgreSQL URL selects it with its schema; anything else is named without its value', () => {
  assert.is(loadConfig(minimal).storage.database, undefined);
  const url = 'postgres://bot:s3cret-pw@db.internal:5432/musicbot';
  assert.equal(loadConfig({ ...minimal, DATABASE_URL: url }).storage.database, { url, schema: 'eventlog', musicSchema: 'music' });
  assert.equal(loadConfig({ ...minimal, DATABASE_URL: url, DATABASE_SCHEMA: 'bot_one', DATABASE_MUSIC_SCHEMA: 'bot_one_music' }).storage.database, { url, schema: 'bot_one', musicSchema: 'bot_one_music' });
  for (const bad of ['mysql://bot:s3cret-pw@db/x', 's3cret-pw', 'postgres:///nohost']) {
    const problems = problemsOf({ ...minimal, DATABASE_URL: bad });
    assert.equal(problems.map((p) => p.split(' ')[0]), ['DATABASE_URL'], bad);
    assert.not.ok(problems.join('').includes('s3cret-pw'), 'the value (a password) is never echoed');
  }
  assert.equal(problemsOf({ ...minimal, DATABASE_URL: url, DATABASE_SCHEMA: 'Drop Table' }).map((p) => p.split(' ')[0]), ['DATABASE_SCHEMA']);
});

Config.run();
