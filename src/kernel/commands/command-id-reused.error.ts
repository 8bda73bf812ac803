import { ConflictError } from '../errors/domain-error.js';

export class CommandIdReusedError extends ConflictError {
  constructor(readonly commandId: string) {
    super('COMMAND.ID_REUSED', `Command id ${commandId} was already used for a different command`, { commandId });
  }
}
