/**
 * Runs the commands on one stream in this process one after another. Without it, commands
 * on one stream that arrive together (many payments into one loan) all load the same
 * revision whenever the store's reads and appends are real I/O (EventStoreDB): one appends,
 * the rest conflict and load again, and with enough of them some run out of attempts and a
 * valid command is refused with a spurious 409. Taking turns makes each load see its
 * predecessor's append, so the conflicts left are those with other processes, which the
 * attempts are for. Streams stay independent.
 */
export class StreamQueue {
  /** Per stream, the last work queued on it. */
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every work queued before it on `stream` has finished. */
  async inTurn<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(stream);
    const result = before ? before.then(work) : work();
    const queued = result.catch(() => undefined);
    this.tails.set(stream, queued);
    try {
      return await result;
    } finally {
      if (this.tails.get(stream) === queued) this.tails.delete(stream);
    }
  }
}
