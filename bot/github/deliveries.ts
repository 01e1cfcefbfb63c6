/**
 * Webhook deliveries already seen (`X-GitHub-Delivery`), so a delivery handled twice (a
 * redelivery, a client retry) acts once. A claim is released when handling failed, so that a
 * manual "Redeliver" from the app's settings can still do the work.
 */
export interface DeliveryLog {
  /** True when this call claimed the delivery; false when it was handled or is being handled. */
  claim(deliveryId: string): Promise<boolean>;
  done(deliveryId: string): Promise<void>;
  release(deliveryId: string): Promise<void>;
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
}
