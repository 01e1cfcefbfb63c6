import type { Approval } from "../core/approval.js";
import type { ApprovalIndex, ApprovalStore } from "../core/ports.js";

/**
 * The local stand-in for DynamoDB Streams: a store decorator that hands each committed change to
 * a listener (the projector), in order per approval, with bounded retries, like the sync Lambda.
 */
export class ChangeFeedStore<S extends ApprovalStore & ApprovalIndex = ApprovalStore & ApprovalIndex>
  implements ApprovalStore, ApprovalIndex
{
  private readonly queues = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  listener: ((id: string) => Promise<void>) | undefined;
  /** Last error per approval after retries ran out (shown on the dashboard). */
  readonly failures = new Map<string, string>();

  constructor(
    readonly inner: S,
    private readonly options: { retries?: number; backoffMs?: number } = {},
  ) {}

  async create(approval: Approval) {
    const result = await this.inner.create(approval);
    if (result.created) this.changed(approval.id);
    return result;
  }

  get(id: string) {
    return this.inner.get(id);
  }

  findByExecution(pipeline: string, executionId: string) {
    return this.inner.findByExecution(pipeline, executionId);
  }

  listOpen() {
    return this.inner.listOpen();
  }

  async update(approval: Approval) {
    const written = await this.inner.update(approval);
    this.changed(approval.id);
    return written;
  }

  /** Resolves once every change so far has been projected (tests and benchmarks wait on it). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
  }

  private changed(id: string): void {
    // Changes that arrive while a run is queued coalesce into it: the projector reads the latest record.
    if (this.dirty.has(id)) return;
    this.dirty.add(id);
    const previous = this.queues.get(id) ?? Promise.resolve();
    const run = previous.then(() => this.run(id));
    this.queues.set(id, run);
    void run.finally(() => {
      if (this.queues.get(id) === run) this.queues.delete(id);
    });
  }

  private async run(id: string): Promise<void> {
    this.dirty.delete(id);
    const listener = this.listener;
    if (!listener) return;
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await listener(id);
        this.failures.delete(id);
        return;
      } catch (e: unknown) {
        if (attempt >= retries) {
          this.failures.set(id, e instanceof Error ? e.message : String(e));
          return;
        }
        await new Promise((r) => setTimeout(r, (this.options.backoffMs ?? 200) * 2 ** attempt));
      }
    }
  }
}
