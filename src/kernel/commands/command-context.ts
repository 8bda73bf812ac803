/** Who asked for a command, and how it relates to other work; recorded on every event it produces. */
export interface CommandContext {
  /** Idempotency key: a repeat with the same id returns the first result and appends nothing. */
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** The principal that sent the command, never a secret. */
  readonly actor: string;
}

/** Metadata the command pipeline writes on each event. */
export interface CommandEventMetadata {
  readonly commandId: string;
  /** SHA-256 of the command's canonical JSON: tells a repeat from a different command reusing an id. */
  readonly commandHash: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: string;
  readonly schemaVersion: number;
}
