import type { TestProject } from "vitest/node";
import { startLocalDynamo } from "../../local/dynamo/server.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoUrl: string;
  }
}

/** One dynalite server for the whole run; each test file makes its own table. */
export default async function setup(project: TestProject) {
  const dynamo = await startLocalDynamo();
  project.provide("dynamoUrl", dynamo.url);
  return () => dynamo.close();
}
