/**
 * The event log: an append-only LevelDB log with inline projections, and the token vault
 * for the secrets its events carry. Knows nothing of Telegram or Spotify.
 *
 * See docs/eventlog.md for the key layout, group commit, rebuild/verify and key rotation.
 *
 * @module
 */
export { openEventStore } from './eventStore.ts';
export { openLevelDb, isLockedError } from './openLevelDb.ts';
export { defineEvent, createEventRegistry, EventType, type EventOf, type EventRegistry } from './registry.ts';
export {
  EventLogError,
  VersionConflictError,
  EventDecodeError,
  EventValidationError,
  ProjectionError,
  DataDirLockedError,
  StoreClosedError,
  ProjectionsBehindError,
  type EventLogErrorCode,
} from './errors.ts';
export { NO_STREAM } from './types.ts';
export type {
  AnyEvent,
  AppendListener,
  AppendOptions,
  AppendResult,
  BatchOp,
  Envelope,
  EventLog,
  EventLogLogger,
  EventMeta,
  EventStore,
  ExpectedVersion,
  Keyspace,
  EventLogOptions,
  OpenEventStoreOptions,
  Projection,
  ProjectionTable,
  ReadonlyTable,
  RebuildReport,
  RootDb,
  SubscribeOptions,
  TableDifference,
} from './types.ts';
export { STREAM_NAME, PROJECTION_NAME } from './keys.ts';
export { openTokenVault, createTokenVault, type OpenTokenVaultOptions, type TokenVault, type VaultKeyOptions } from './vault/tokenVault.ts';
export { levelVaultStorage, type VaultStorage } from './vault/vaultStorage.ts';
export type { RewrapReport } from './vault/rewrap.ts';
export { masterKey, masterKeyId, masterKeyFromBase64, parseMasterKeyRing, type MasterKey } from './vault/masterKeys.ts';
export {
  VaultError,
  DataKeyShreddedError,
  DecryptError,
  MasterKeyMismatchError,
  InvalidMasterKeyError,
  type VaultErrorCode,
} from './vault/errors.ts';
