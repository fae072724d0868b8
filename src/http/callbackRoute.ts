/**
 * `GET /oauth/spotify/callback`: where Spotify sends the browser after the consent screen.
 *
 * Order: the server has already decoded the query strictly (broken escapes → 400); this route
 * validates it with {@link parseCallbackQuery} (→ 400 without calling the flow), then calls
 * the {@link CallbackFlow} once and maps its outcome to a page:
 *
 * | outcome        | status | page |
 * | ---            | ---    | ---  |
 * | completed      | 303    | `Location: https://t.me/<bot>?start=<id>`, page with a "Return to Telegram" button |
 * | denied         | 200    | login cancelled, you can close this tab |
 * | unknownState   | 400    | unknown login link, send /login |
 * | used           | 409    | link already used (409 Conflict: the state exists but its login is over) |
 * | expired        | 410    | link expired (410 Gone) |
 * | spotifyFailed  | 502    | Spotify did not answer (5xx, timeout): a gateway error |
 * | spotifyFailed  | 400    | Spotify rejected the code (`invalid_grant`: forged, foreign or spent) |
 * | spotifyFailed  | 403    | Spotify refused the account (not on the app's user list) |
 * | flow throws    | 500    | generic page; `{ err }` logged |
 *
 * A code or account Spotify refuses is the request's fault, not ours: a 4xx, never a 5xx.
 * `HEAD` (link previewers, some browsers) gets 200 without a body and never reaches the flow:
 * it must not spend the single-use code the following `GET` needs.
 *
 * Pages are in the language of `Accept-Language` and echo nothing from the request.
 */
import { CALLBACK_PATH } from '../config.ts';
import type { Logger } from 'pino';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/translate.ts';
import { COMPLETION_ID, type CallbackFlow, type CallbackOutcome, type SpotifyFailure } from '../link/ports.ts';
import { parseCallbackQuery } from './callbackQuery.ts';
import { HTML, htmlResponse, statusPage } from './responses.ts';
import { renderPage } from './htmlPage.ts';
import type { Route, RouteResponse } from './route.ts';
import { RouteConfigError } from './router.ts';


/** Options of {@link createCallbackRoute}. */
export interface CallbackRouteOptions {
  readonly flow: CallbackFlow;
  /** The bot's username, with or without `@` (e.g. `MusicLinkBot`). */
  readonly botUsername: string;
  /** For flow failures, logged as `{ err }`; the request line itself comes from the server. */
  readonly logger: Logger;
}

/** Telegram bot usernames: 5–32 chars, letter first. */
const BOT_USERNAME = /^[A-Za-z][A-Za-z0-9_]{4,31}$/;

type PageKind =
  | 'denied'
  | 'unknown-state'
  | 'used'
  | 'expired'
  | 'spotify-rejected-code'
  | 'spotify-not-registered'
  | 'spotify-failed-retryable'
  | 'bad-request';

/** Status and locale keys of each fixed page. */
const PAGES: Readonly<Record<PageKind, { status: number; heading: string; text: string }>> = {
  denied: { status: 200, heading: 'callback-denied-heading', text: 'callback-denied-text' },
  'unknown-state': { status: 400, heading: 'callback-unknown-state-heading', text: 'callback-unknown-state-text' },
  used: { status: 409, heading: 'callback-used-heading', text: 'callback-used-text' },
  expired: { status: 410, heading: 'callback-expired-heading', text: 'callback-expired-text' },
  'spotify-rejected-code': { status: 400, heading: 'callback-spotify-refused-heading', text: 'callback-spotify-failed-text' },
  'spotify-not-registered': { status: 403, heading: 'callback-spotify-refused-heading', text: 'callback-spotify-failed-text' },
  'spotify-failed-retryable': {
    status: 502,
    heading: 'callback-spotify-failed-heading',
    text: 'callback-spotify-failed-retryable-text',
  },
  'bad-request': { status: 400, heading: 'callback-bad-request-heading', text: 'callback-bad-request-text' },
};

/** Only Spotify failing to answer is a gateway error; a refusal is about this request. */
const SPOTIFY_FAILURE_PAGES: Readonly<Record<SpotifyFailure, PageKind>> = {
  spotifyUnavailable: 'spotify-failed-retryable',
  rejectedBySpotify: 'spotify-rejected-code',
  notRegistered: 'spotify-not-registered',
};

/** Builds the callback route. Throws {@link RouteConfigError} for an impossible bot username. */
export function createCallbackRoute(options: CallbackRouteOptions): Route {
  const bot = options.botUsername.replace(/^@/, '');
  if (!BOT_USERNAME.test(bot)) throw new RouteConfigError('botUsername must be a Telegram bot username such as "MusicLinkBot".');
  const { flow, logger } = options;
  const cache = new Map<string, string>();

  function page(kind: PageKind, locale: Locale, logFields: Record<string, string | boolean>): RouteResponse {
    const spec = PAGES[kind];
    const cacheKey = `${kind}:${locale}`;
    let body = cache.get(cacheKey);
    if (body === undefined) {
      body = renderPage({ locale, heading: t(locale, spec.heading), text: t(locale, spec.text) });
      cache.set(cacheKey, body);
    }
    return { status: spec.status, contentType: HTML, body, logFields };
  }

  function completed(completionId: string, locale: Locale): RouteResponse {
    const href = `https://t.me/${bot}?start=${completionId}`;
    return {
      ...htmlResponse(
        303,
        {
          locale,
          heading: t(locale, 'callback-completed-heading'),
          text: t(locale, 'callback-completed-text', { botUsername: bot }),
          action: { href, label: t(locale, 'callback-return-button') },
        },
        { location: href, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' },
      ),
      logFields: { outcome: 'completed' },
    };
  }

  function respond(outcome: CallbackOutcome, locale: Locale): RouteResponse {
    switch (outcome.kind) {
      case 'completed':
        if (COMPLETION_ID.test(outcome.completionId)) return completed(outcome.completionId, locale);
        // A broken id would put garbage into a t.me link: a bug in the flow, not the user's fault.
        logger.error({ outcome: 'completed' }, 'callback flow returned an invalid completion id');
        return { ...statusPage(500, locale), logFields: { outcome: 'invalidCompletionId' } };
      case 'denied':
        return page('denied', locale, { outcome: 'denied' });
      case 'unknownState':
        return page('unknown-state', locale, { outcome: 'unknownState' });
      case 'used':
        return page('used', locale, { outcome: 'used' });
      case 'expired':
        return page('expired', locale, { outcome: 'expired' });
      case 'spotifyFailed':
        return page(SPOTIFY_FAILURE_PAGES[outcome.reason], locale, {
          outcome: 'spotifyFailed',
          reason: outcome.reason,
          retryable: outcome.retryable,
        });
    }
  }

  return {
    path: CALLBACK_PATH,
    methods: ['GET'],
    async handle(request) {
      const parsed = parseCallbackQuery(request.query);
      if (!parsed.ok) return page('bad-request', request.locale, { rejected: parsed.reason });
      // A preview must not spend the code: the page depends on the flow, so HEAD gets none.
      if (request.method === 'HEAD') return { status: 200, contentType: HTML, logFields: { outcome: 'head' } };
      let outcome: CallbackOutcome;
      try {
        outcome = await flow.handleCallback(parsed.input, { correlationId: request.correlationId });
      } catch (err) {
        logger.error({ err, correlationId: request.correlationId }, 'callback flow failed');
        return { ...statusPage(500, request.locale), logFields: { outcome: 'flowFailed' } };
      }
      return respond(outcome, request.locale);
    },
  };
}
