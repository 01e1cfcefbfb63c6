/**
 * A stand-in that hangs, on the test's word: requests wait at `pass()` until the returned release
 * function is called. Deterministic where a long delay is not: a test can check what was served
 * while one channel hung, then let it recover.
 */
export class Hold {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  /** Requests waiting right now. */
  waiting = 0;

  /** From now on requests wait; call the result to let them (and later ones) through. */
  hang(): () => void {
    if (!this.gate) this.gate = new Promise<void>((resolve) => (this.open = resolve));
    return () => {
      this.open?.();
      this.gate = undefined;
      this.open = undefined;
    };
  }

  async pass(): Promise<void> {
    const gate = this.gate;
    if (!gate) return;
    this.waiting++;
    try {
      await gate;
    } finally {
      this.waiting--;
    }
  }
}
