import type { App } from "@slack/bolt";
import type { VoteDeps } from "../vote.js";
import { approveListener } from "./approve.js";
import { approveSubmittedListener } from "./approve-submitted.js";
import { approveWithCommentListener } from "./approve-with-comment.js";
import { rejectListener } from "./reject.js";
import { rejectSubmittedListener } from "./reject-submitted.js";
import { unknownActionListener } from "./unknown-action.js";

/** Every Greenlight listener, one per file; the same set serves HTTP and Socket Mode. */
export function registerListeners(app: App, deps: VoteDeps): void {
  approveListener(app, deps);
  approveWithCommentListener(app, deps);
  rejectListener(app, deps);
  approveSubmittedListener(app, deps);
  rejectSubmittedListener(app, deps);
  unknownActionListener(app, deps);
}
