/**
 * Named errors of the token vault. None of them carries key material, plaintext,
 * ciphertext or associated data – only link ids and master key ids, which are not secret.
 *
 * @module
 */
import { CodedError } from '../errors.ts';

/** Every stable code a vault error may carry. */
export type VaultErrorCode = 'DATA_KEY_SHREDDED' | 'DECRYPT_FAILED' | 'MASTER_KEY_MISMATCH' | 'MASTER_KEY_INVALID';

/** Common base: `err instanceof VaultError` and a stable `code` (the rule is `CodedError`'s). */
export abstract class VaultError extends CodedError<VaultErrorCode> {}

/**
 * The data key of a link is gone (shredded on unlink, revocation or a rejected link, or
 * replaced by a newer key): its ciphertexts can never be opened again. Expected after
 * unlink; treat the link's secrets as absent.
 */
export class DataKeyShreddedError extends VaultError {
  readonly code = 'DATA_KEY_SHREDDED' as const;
  constructor(readonly linkId: string) {
    super(`the data key of link ${linkId} has been shredded; its secrets are unrecoverable`);
  }
}

/**
 * A sealed value could not be opened with its link's key: it was altered, is not a sealed
 * value, or belongs to another record (the associated data differs).
 */
export class DecryptError extends VaultError {
  readonly code = 'DECRYPT_FAILED' as const;
  constructor(
    readonly linkId: string,
    reason = 'altered, malformed, or sealed for another record',
  ) {
    super(`cannot open a sealed value of link ${linkId}: ${reason}`);
  }
}

/**
 * The configured master keys cannot unwrap this data directory's data keys: a wrong
 * `TOKEN_ENCRYPTION_KEY`, or an old key removed from the ring before `rewrap()`.
 */
export class MasterKeyMismatchError extends VaultError {
  readonly code = 'MASTER_KEY_MISMATCH' as const;
  constructor(
    /** Master key ids the vault needs but the ring lacks (or whose key differs). */
    readonly missingKeyIds: readonly string[],
    /** Ids of the configured ring. */
    readonly configuredKeyIds: readonly string[],
  ) {
    super(
      `master key mismatch: this data dir's keys are wrapped by master key id ${missingKeyIds.join(', ')}, ` +
        `but the configured key ring has ${configuredKeyIds.join(', ') || 'no key'}`,
    );
  }
}

/** A master key ring that cannot be used (wrong length, duplicate, unknown active id). */
export class InvalidMasterKeyError extends VaultError {
  readonly code = 'MASTER_KEY_INVALID' as const;
  constructor(reason: string) {
    super(`invalid master key: ${reason}`);
  }
}
