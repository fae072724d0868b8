/**
 * The check after an import: the same fold-and-compare as `replay verify` on the new store, and
 * an export of it (to nowhere) whose counts and SHA-256 must equal the file's end line – so the
 * log and the keys that landed are exactly the ones in the file, byte for byte.
 *
 * @module
 */
import type { EventRegistry } from '../../../eventlog/index.ts';
import { linkProjections } from '../../link/projections.ts';
import type { LogReader } from './dataDir.ts';
import { writeExport, type ExportCounts } from './exportWriter.ts';
import { verifyProjections, type VerifyReport } from './verifyProjections.ts';

/** What an import wrote (from the file's end line) and which master keys its data keys need. */
export interface ImportCounts extends ExportCounts {
  /** Master key ids that wrap the imported data keys: the target bot needs these keys. */
  masterKeys: string[];
}

/** The outcome of {@link checkImported}; `ok` when both checks found nothing. */
export interface ImportCheck {
  ok: boolean;
  verify: VerifyReport;
  /** Whether the store, exported again, gives the file's counts and digest. */
  sameAsFile: boolean;
}

/** Verifies the projections of the imported store and compares a fresh export of it with the file. */
export async function checkImported(reader: LogReader, registry: EventRegistry<any>, imported: ExportCounts): Promise<ImportCheck> {
  const verify = await verifyProjections(reader, [...linkProjections]);
  const again = await reader.withSnapshot((snapshot) => writeExport(snapshot, registry, () => {}));
  const sameAsFile = (['events', 'streams', 'dataKeys', 'keyChecks', 'sha256'] as const).every((k) => again[k] === imported[k]);
  const ok = sameAsFile && verify.differences.length === 0 && verify.checkpoints.length === 0;
  return { ok, verify, sameAsFile };
}
