/**
 * The login flow (docs/link.md), on top of the {@link LinkRepository}:
 *
 * 1. {@link LoginFlow.start} (`/login`): random `state` (256 bits), PKCE S256, a new data key,
 *    `LoginStarted` with only the state's hash and the sealed verifier; returns the authorize URL.
 * 2. {@link LoginFlow.handleCallback} (`GET /oauth/spotify/callback`): finds the attempt by state hash,
 *    exchanges the code at once, reads `GET /me`, seals the grant under the attempt's key and
 *    records it with the hash of a fresh single-use completion id.
 * 3. {@link LoginFlow.confirm} (`/start <completion id>`): only the Telegram user who started
 *    the login completes it; anyone else ends the attempt (its key is shredded) and the owner
 *    is told.
 */
import { randomUUID } from 'node:crypto';
import { DataKeyShreddedError, type BatchOp, type TokenVault } from '../../eventlog/index.ts';
import type { DomainErrorCode } from '../../machines/domainError.ts';
import { callbackProblem } from './decide.ts';
import { asSealed } from '../../machines/spotifyLink.events.ts';
import type { Logger } from '../log.ts';
import { SPOTIFY_SCOPES, type TokenGrant } from '../spotify/accountsClient.ts';
import { InvalidGrantError, NotRegisteredError } from '../spotify/errors.ts';
import { createPkcePair } from '../spotify/pkce.ts';
import type { LinkRepository } from './linkRepository.ts';
import type { LinkTables, OAuthStateRow } from './linkTables.ts';
import {
  COMPLETION_ID,
  type CallbackFlow,
  type CallbackInput,
  type CallbackOutcome,
  type ConfirmOutcome,
  type LinkNotice,
  type LinkNotifier,
  type SpotifyFailure,
  type SpotifyProfileReader,
  type StartedLogin,
  type TokenEndpoint,
} from './ports.ts';
import { openIdentity, sealPersonal } from './personalData.ts';
import { randomUrlToken, sha256Hex } from './secrets.ts';

/** Dependencies of {@link LoginFlow}. */
export interface LoginFlowDeps<Op = BatchOp> {
  repo: LinkRepository<Op>;
  tables: LinkTables;
  vault: TokenVault<Op>;
  accounts: TokenEndpoint;
  profiles: SpotifyProfileReader;
  notifier: LinkNotifier;
  now: () => number;
  logger: Logger;
}

const callbackOutcomeOf: Partial<Record<DomainErrorCode, CallbackOutcome>> = {
  ATTEMPT_EXPIRED: { kind: 'expired' },
  CALLBACK_ALREADY_USED: { kind: 'used' },
};

function outcomeForProblem(code: DomainErrorCode): CallbackOutcome {
  return callbackOutcomeOf[code] ?? { kind: 'unknownState' };
}

/** `/login`, the OAuth callback and `/start <completion id>`. */
export class LoginFlow<Op = BatchOp> implements CallbackFlow {
  /** State hashes whose callback is being handled now: a second, parallel one is "used". */
  readonly #inFlight = new Set<string>();

  constructor(private readonly deps: LoginFlowDeps<Op>) {}

  /** Starts (or restarts) a login for `userId` and returns the Spotify authorize URL. */
  async start(userId: number): Promise<StartedLogin> {
    const { repo, vault, accounts, now } = this.deps;
    const state = randomUrlToken(32);
    const pkce = createPkcePair();
    const attemptId = randomUUID();
    const keyId = `k-${randomUUID()}`;
    const result = await repo.execute(userId, async () => {
      const { ops } = vault.createDataKeyOps(keyId);
      const verifier = asSealed(await vault.seal(keyId, pkce.verifier, String(userId)));
      return { command: { type: 'startLogin', now: now(), attemptId, keyId, stateHash: sha256Hex(state), verifier }, extraOps: ops };
    });
    if (!result || result.decision.error) throw result?.decision.error ?? new Error('startLogin produced nothing');
    const attempt = result.after.context.attempt!;
    return {
      authorizeUrl: accounts.authorizeUrl({ state, codeChallenge: pkce.challenge, showDialog: attempt.relink }),
      expiresAt: attempt.expiresAt,
      relink: attempt.relink,
    };
  }

  /** The OAuth callback. Expected failures are outcomes, never throws. */
  async handleCallback(input: CallbackInput, ctx: { readonly correlationId: string }): Promise<CallbackOutcome> {
    const stateHash = sha256Hex(input.state);
    const row = await this.deps.tables.oauthStates.get(stateHash);
    if (!row) return { kind: 'unknownState' };
    if (row.status === 'used' || this.#inFlight.has(stateHash)) return { kind: 'used' };
    this.#inFlight.add(stateHash);
    try {
      return input.error !== undefined
        ? await this.#deny(row, stateHash, input.error, ctx.correlationId)
        : await this.#complete(row, stateHash, input.code ?? '', ctx.correlationId);
    } finally {
      this.#inFlight.delete(stateHash);
    }
  }

  async #deny(row: OAuthStateRow, stateHash: string, error: string, correlationId: string): Promise<CallbackOutcome> {
    const { repo, now } = this.deps;
    const safeError = /^[a-z_]{1,64}$/.test(error) ? error : 'unknown_error';
    const result = await repo.execute(row.userId, async () => ({ command: { type: 'denyLogin', now: now(), stateHash, error: safeError } }), correlationId);
    if (result?.decision.error) return outcomeForProblem(result.decision.error.code);
    await this.#tell(row.userId, { kind: 'loginDenied' });
    return { kind: 'denied' };
  }

  async #complete(row: OAuthStateRow, stateHash: string, code: string, correlationId: string): Promise<CallbackOutcome> {
    const { repo, vault, accounts, profiles, now, logger } = this.deps;
    const aad = String(row.userId);
    // Check before spending the single-use code: an expired attempt ends here.
    const problem = callbackProblem((await repo.load(row.userId)).snapshot, stateHash, now());
    if (problem === 'ATTEMPT_EXPIRED') {
      await repo.execute(row.userId, async () => ({ command: { type: 'expireLogin', now: now(), attemptId: row.attemptId } }), correlationId);
    }
    if (problem) return outcomeForProblem(problem);

    let verifier: string;
    try {
      verifier = await vault.open(row.keyId, row.verifier, aad);
    } catch (err) {
      // Superseded or unlinked since the row was read: the attempt is gone, the code unspent.
      if (err instanceof DataKeyShreddedError) return { kind: 'unknownState' };
      throw err;
    }
    let grant: TokenGrant;
    let profile: { id: string; displayName?: string | undefined };
    try {
      grant = await accounts.exchangeCode({ code, codeVerifier: verifier });
      if (!grant.refreshToken) throw new InvalidGrantError();
      profile = await profiles.meWithToken(grant.accessToken);
    } catch (err) {
      const reason: SpotifyFailure = err instanceof NotRegisteredError ? 'notRegistered' : err instanceof InvalidGrantError ? 'rejectedBySpotify' : 'spotifyUnavailable';
      logger.warn({ err, userId: row.userId, reason }, 'login callback: Spotify refused or failed');
      // The code is spent either way: end the attempt so its key is shredded.
      const ended = await repo.execute(row.userId, async () => ({ command: { type: 'denyLogin', now: now(), stateHash, error: 'exchange_failed' } }), correlationId);
      // Superseded, unlinked or expired meanwhile: that attempt is not the user's login any more.
      if (ended?.decision.error) return outcomeForProblem(ended.decision.error.code);
      await this.#tell(row.userId, { kind: 'loginFailed', reason });
      return { kind: 'spotifyFailed', retryable: reason === 'spotifyUnavailable', reason };
    }

    const completionId = randomUrlToken(32);
    let refused: DomainErrorCode | null = null;
    const result = await repo.execute(
      row.userId,
      async (snapshot) => {
        refused = callbackProblem(snapshot, stateHash, now());
        if (refused && refused !== 'ATTEMPT_EXPIRED') return null; // superseded or unlinked meanwhile
        return {
          command: {
            type: 'recordGrant',
            now: now(),
            stateHash,
            completionHash: sha256Hex(completionId),
            // Personal data, sealed like the tokens so that `/unlink` shreds it too.
            spotifyUserId: await sealPersonal(vault, row.keyId, row.userId, profile.id),
            displayName: profile.displayName === undefined ? null : await sealPersonal(vault, row.keyId, row.userId, profile.displayName),
            scopes: grant.scopes ?? [...SPOTIFY_SCOPES],
            accessToken: asSealed(await vault.seal(row.keyId, grant.accessToken, aad)),
            refreshToken: asSealed(await vault.seal(row.keyId, grant.refreshToken!, aad)),
            accessExpiresAt: grant.expiresAt,
          },
        };
      },
      correlationId,
    );
    const code_ = result?.decision.error?.code ?? refused;
    if (code_) return outcomeForProblem(code_);
    return { kind: 'completed', completionId };
  }

  /** `/start <completion id>` sent by `actingUserId`. */
  async confirm(actingUserId: number, completionId: string): Promise<ConfirmOutcome> {
    const { repo, tables, now } = this.deps;
    if (!COMPLETION_ID.test(completionId)) return { kind: 'unknown' };
    const completionHash = sha256Hex(completionId);
    const row = await tables.completions.get(completionHash);
    if (!row) return { kind: 'unknown' };
    const owner = row.userId;
    const result = await repo.execute(owner, async () => ({
      command: { type: 'confirmLink', now: now(), completionHash, actingUserId, ownerUserId: owner },
    }));
    const error = result?.decision.error;
    if (error) return error.code === 'ATTEMPT_EXPIRED' ? { kind: 'expired' } : { kind: 'unknown' };
    const events = result?.decision.events ?? [];
    if (events.some((e) => e.type === 'LinkRejected')) {
      await this.#tell(owner, { kind: 'foreignCompletion' });
      return { kind: 'foreign' };
    }
    const link = result!.after.context.link!;
    return { kind: 'linked', ...(await openIdentity(this.deps.vault, link.keyId, owner, link)) };
  }

  /** Notifications are best effort: a Telegram outage must not undo a recorded decision. */
  async #tell(userId: number, notice: LinkNotice): Promise<void> {
    try {
      await this.deps.notifier.notify(userId, notice);
    } catch (err) {
      this.deps.logger.warn({ err, userId, notice: notice.kind }, 'could not notify the user');
    }
  }
}
