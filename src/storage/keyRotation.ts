/**
 * Master-key rotation, run at start-up: when `TOKEN_ENCRYPTION_KEYS_PREVIOUS` is set, every
 * data key is re-wrapped with the active `TOKEN_ENCRYPTION_KEY` (`vault.rewrap()`), and the
 * log says when the previous keys are no longer needed. Sealed tokens in the log do not
 * change: only the wrapping of their data keys does. See docs/operations.md for the steps.
 *
 * @example
 * await rewrapIfRotating(vault, config.storage.previousMasterKeys.length, logger);
 */
import type { RewrapReport, TokenVault } from '../../eventlog/index.ts';
import type { Logger } from '../log.ts';

/**
 * Re-wraps all data keys with the active master key when previous keys are configured.
 * Returns the report, or undefined when there was nothing to rotate.
 */
export async function rewrapIfRotating(vault: Pick<TokenVault, 'rewrap' | 'activeKeyId'>, previousKeys: number, logger: Logger): Promise<RewrapReport | undefined> {
  if (previousKeys === 0) return undefined;
  const report = await vault.rewrap();
  logger.info(
    { rewrapped: report.rewrapped, retiredKeyIds: report.retiredKeyIds, activeKeyId: vault.activeKeyId },
    'master key rotation: every data key is wrapped by the active key now; remove TOKEN_ENCRYPTION_KEYS_PREVIOUS and restart',
  );
  return report;
}
