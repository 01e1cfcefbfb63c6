import type { Approval } from "../../core/approval.js";
import { PipelineError, type PipelineErrorKind, VersionConflict } from "../../core/errors.js";
import type {
  ApprovalActionState,
  ApprovalStore,
  Clock,
  Pipeline,
  PutApprovalResultInput,
  Random,
  SourceRevision,
} from "../../core/ports.js";

type Hook<T> = (value: T) => void | Promise<void>;

/**
 * In-memory `ApprovalStore` that keeps the port's contract: records are copied in and out (no
 * aliasing), `update` only lands when the stored version still equals the record's version, and the
 * stored copy gets `version + 1`. Hooks let a test slip a concurrent writer in between.
 */
export class MemoryStore implements ApprovalStore {
  private readonly items = new Map<string, Approval>();
  readonly calls = { create: 0, get: 0, update: 0 };
  /** Runs before `update` checks the version: the place to simulate someone else's write. */
  beforeUpdate: Hook<Approval> | undefined;
  /** Runs before `create` checks for an existing record. */
  beforeCreate: Hook<Approval> | undefined;
  /** Every update throws `VersionConflict` while this is true (a store that keeps losing). */
  alwaysConflict = false;

  async create(approval: Approval): Promise<{ created: boolean; approval: Approval }> {
    this.calls.create++;
    await this.beforeCreate?.(structuredClone(approval));
    const existing = this.items.get(approval.id);
    if (existing) return { created: false, approval: structuredClone(existing) };
    this.items.set(approval.id, structuredClone(approval));
    return { created: true, approval: structuredClone(approval) };
  }

  async get(id: string): Promise<Approval | undefined> {
    this.calls.get++;
    const item = this.items.get(id);
    return item ? structuredClone(item) : undefined;
  }

  async update(approval: Approval): Promise<Approval> {
    this.calls.update++;
    await this.beforeUpdate?.(structuredClone(approval));
    const stored = this.items.get(approval.id);
    if (this.alwaysConflict || !stored || stored.version !== approval.version) {
      throw new VersionConflict(approval.id, approval.version);
    }
    const next = { ...structuredClone(approval), version: approval.version + 1 };
    this.items.set(approval.id, next);
    return structuredClone(next);
  }

  /** Put a record as is (test set-up, or another writer bypassing our use cases). */
  seed(approval: Approval): Approval {
    this.items.set(approval.id, structuredClone(approval));
    return structuredClone(approval);
  }

  /** Another writer's successful update: bumps the version like `update` does. */
  async writeAsSomeoneElse(id: string, change: (a: Approval) => Approval): Promise<Approval> {
    const stored = this.items.get(id);
    if (!stored) throw new Error(`no record ${id} to change`);
    const next = { ...change(structuredClone(stored)), version: stored.version + 1 };
    this.items.set(id, next);
    return structuredClone(next);
  }

  peek(id: string): Approval | undefined {
    const item = this.items.get(id);
    return item ? structuredClone(item) : undefined;
  }

  get size(): number {
    return this.items.size;
  }
}

type Failure = PipelineErrorKind | Error;

function toError(failure: Failure): Error {
  return failure instanceof Error ? failure : new PipelineError(failure, `fake CodePipeline: ${failure}`);
}

/** Recording CodePipeline: answers from canned state, fails on request with the adapter's error kinds. */
export class FakePipeline implements Pipeline {
  readonly results: PutApprovalResultInput[] = [];
  readonly stateCalls: Array<{ pipeline: string; stage: string; action: string }> = [];
  /** The tokens `approvalActionState` was asked about (kept apart: most tests compare `stateCalls`). */
  readonly tokenCalls: Array<string | undefined> = [];
  readonly revisionCalls: Array<{ pipeline: string; executionId: string }> = [];
  actionState: ApprovalActionState = {};
  revisions: SourceRevision[] = [];
  approvedAt = "2026-12-01T10:00:05.000Z";
  /** Failures for the next `putApprovalResult` calls, in order. */
  private readonly putFailures: Failure[] = [];
  stateFailure: Failure | undefined;
  revisionsFailure: Failure | undefined;
  /** Runs while the PutApprovalResult call is "in flight", before it answers. */
  duringPut: Hook<PutApprovalResultInput> | undefined;

  failPutWith(...failures: Failure[]): this {
    this.putFailures.push(...failures);
    return this;
  }

  async putApprovalResult(input: PutApprovalResultInput): Promise<{ approvedAt: string }> {
    this.results.push({ ...input });
    await this.duringPut?.({ ...input });
    const failure = this.putFailures.shift();
    if (failure) throw toError(failure);
    return { approvedAt: this.approvedAt };
  }

  async approvalActionState(target: {
    pipeline: string;
    stage: string;
    action: string;
    token?: string;
  }): Promise<ApprovalActionState> {
    this.stateCalls.push({ pipeline: target.pipeline, stage: target.stage, action: target.action });
    this.tokenCalls.push(target.token);
    if (this.stateFailure) throw toError(this.stateFailure);
    return { ...this.actionState };
  }

  async sourceRevisions(target: { pipeline: string; executionId: string }): Promise<SourceRevision[]> {
    this.revisionCalls.push({ pipeline: target.pipeline, executionId: target.executionId });
    if (this.revisionsFailure) throw toError(this.revisionsFailure);
    return this.revisions.map((r) => ({ ...r }));
  }

  /** The commit of the newest succeeded run, as set by the test. */
  lastSucceeded: string | undefined;

  async lastSucceededCommit(_pipeline: string): Promise<string | undefined> {
    return this.lastSucceeded;
  }
}

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: string | Date) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): this {
    this.current += ms;
    return this;
  }

  set(at: string | Date): this {
    this.current = new Date(at).getTime();
    return this;
  }
}

/** Deterministic bytes: a counter-driven sequence from a seed, so two instances with one seed agree. */
export class FakeRandom implements Random {
  readonly requests: number[] = [];
  private state: number;

  constructor(seed = 1) {
    // xorshift never leaves 0, so a zero seed would give nothing but zero bytes.
    this.state = seed >>> 0 || 1;
  }

  bytes(n: number): Uint8Array {
    this.requests.push(n);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      // xorshift32: cheap, deterministic, and spreads the seed over every byte.
      this.state ^= this.state << 13;
      this.state ^= this.state >>> 17;
      this.state ^= this.state << 5;
      this.state >>>= 0;
      out[i] = this.state & 0xff;
    }
    return out;
  }
}

/** Random that hands out exactly the bytes it was given (or a wrong-sized buffer, to test the guard). */
export class FixedRandom implements Random {
  constructor(private readonly value: Uint8Array) {}

  bytes(): Uint8Array {
    return this.value.slice();
  }
}
