/**
 * The words intake's log line carries when it refuses an approval notification, so the pipeline
 * waits with nobody asked: "intake: approval notification refused: …". The intake function's
 * metric filter counts lines holding all of them and an alarm fires on the first (infra alarms).
 */
export const APPROVAL_REFUSED_TERMS = ["approval", "notification", "refused"] as const;
