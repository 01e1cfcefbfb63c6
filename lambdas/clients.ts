import { randomBytes } from "node:crypto";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Clock, Random } from "../core/ports.js";

// SDK clients are built once per container; endpoints follow AWS_ENDPOINT_URL_* so the same code
// runs against AWS, the local stack and the tests.
export const dynamoClient = new DynamoDBClient({});
export const codePipelineClient = new CodePipelineClient({});

export const systemClock: Clock = { now: () => new Date() };
export const cryptoRandom: Random = { bytes: (n) => randomBytes(n) };
