/**
 * What lives where under `DATA_DIR`. One place, so the app, the backup tools and the docs
 * agree.
 *
 * | path | what |
 * | --- | --- |
 * | `db/` | the LevelDB: event log, projections, token vault, music `file_id` cache |
 * | `control.sock` | the running bot's local control socket (backups while it runs) |
 */
import { join } from 'node:path';

/** The LevelDB directory of a data dir. */
export const dbLocation = (dataDir: string): string => join(dataDir, 'db');

/** The running bot's control socket (a Unix domain socket, mode 0600). */
export const controlSocketPath = (dataDir: string): string => join(dataDir, 'control.sock');
