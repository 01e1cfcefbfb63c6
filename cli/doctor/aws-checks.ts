// The checks of the AWS side of a deployment: stack, functions, policy, pipelines, SES, queues,
// alarms, approvals stuck in deciding. (Filled in by issue 17's doctor work.)
import type { Check } from "./check.js";

export const awsChecks: Check[] = [];
