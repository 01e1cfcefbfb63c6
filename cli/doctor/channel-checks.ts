// The checks of the channels Greenlight talks through: Slack and GitHub.
// (Filled in by issue 17's doctor work.)
import type { Check } from "./check.js";

export const channelChecks: Check[] = [];
