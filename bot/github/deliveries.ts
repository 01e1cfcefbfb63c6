/**
 * Webhook deliveries already seen (`X-GitHub-Delivery`), so a delivery handled twice (a
 * redelivery, a client retry) acts once. A claim is released when handling failed, so that a
 * manual "Redeliver" from the app's settings can still do the work.
 *
 * The delivery id is not signed: a captured delivery resent under a new id is a new delivery. So
 * a comment is also claimed by its own id (signed, in the body), and acts once whatever delivery
 * carries it (docs/security.md#30-signed-comments-expire).
 */
export interface DeliveryLog {
  /** True when this call claimed the delivery; false when it was handled or is being handled. */
  claim(deliveryId: string): Promise<boolean>;
  done(deliveryId: string): Promise<void>;
  release(deliveryId: string): Promise<void>;
  /** The same, for an issue comment's id: true only the first time any delivery brings it. */
  claimComment(commentId: number): Promise<boolean>;
  doneComment(commentId: number): Promise<void>;
  releaseComment(commentId: number): Promise<void>;
}

/** In-process log, for unit tests and single-process tools; Lambda uses the DynamoDB one. */
export class MemoryDeliveryLog implements DeliveryLog {
  private readonly seen = new Map<string, "processing" | "done">();

  async claim(deliveryId: string): Promise<boolean> {
    if (this.seen.has(deliveryId)) return false;
    this.seen.set(deliveryId, "processing");
    return true;
  }

  async done(deliveryId: string): Promise<void> {
    this.seen.set(deliveryId, "done");
  }

  async release(deliveryId: string): Promise<void> {
    this.seen.delete(deliveryId);
  }

  claimComment(commentId: number): Promise<boolean> {
    return this.claim(`comment#${commentId}`);
  }

  doneComment(commentId: number): Promise<void> {
    return this.done(`comment#${commentId}`);
  }

  releaseComment(commentId: number): Promise<void> {
    return this.release(`comment#${commentId}`);
  }
}
