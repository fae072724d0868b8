/**
 * Errors of the operations tools (backup, restore, the control socket). Each has a stable
 * `code`; messages say what to do and never carry a key, a token or file contents.
 */

/** Stable codes of {@link OpsError}. */
export type OpsErrorCode =
  | 'BACKUP_TARGET_EXISTS'
  | 'BACKUP_SOURCE_MISSING'
  | 'BACKUP_CORRUPT'
  | 'BACKUP_UNREACHABLE'
  | 'RESTORE_TARGET_NOT_EMPTY';

/**
 * An operator-facing failure of a backup or restore. The message is one line that can be
 * printed as it is.
 *
 * @example
 * try { await restoreBackup(file, dataDir); }
 * catch (err) { if (err instanceof OpsError) { console.error(err.message); process.exit(1); } throw err; }
 */
export class OpsError extends Error {
  constructor(
    readonly code: OpsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OpsError';
  }
}
