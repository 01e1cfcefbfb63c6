import { get } from "node:http";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, connectLocal, splitLocalFlag } from "../../cli/target.js";
import type { Stack } from "../../local/stack.js";
import { testStack } from "../support/stack.js";

describe("greenlight --local: the local stack describes itself", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await testStack({ slack: true, github: { autoPullAuthor: "dev-dana" } });
  });
  afterAll(() => stack.close());

  it("gives the outputs, endpoints that answer, and the stand-ins' apps as the stack's secrets hold them", async () => {
    const target = await connectLocal(stack.url);
    expect(target.kind).toBe("local");
    expect(target.outputs.PublicUrl).toBe(`${stack.publicUrl}/`);
    expect(target.outputs.SlackRequestUrl).toBe(`${stack.publicUrl}/slack/events`);
    const config = target.client("dynamodb");
    if (!config) throw new Error("no local DynamoDB endpoint");
    const dynamo = new DynamoDBClient(config);
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: target.outputs.TableName }));
    dynamo.destroy();
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(target.client("cloudformation")).toBeUndefined();
    expect(Object.keys((await target.secret("slack")) ?? {}).sort()).toEqual([
      "appId",
      "botToken",
      "signingSecret",
      "teamId",
    ]);
    expect(Object.keys((await target.secret("github")) ?? {}).sort()).toEqual([
      "appId",
      "privateKey",
      "webhookSecret",
    ]);
    expect(target.slackApiUrl).toMatch(/\/api\/$/);
    expect(target.githubApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  });

  it("answers only to a localhost Host (the dashboard's guard)", async () => {
    // fetch cannot set Host; a rebound name is what a hostile page in the browser would send.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(`${stack.url}/local/stack.json`, { headers: { host: "attacker.example" } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on("error", reject),
    );
    expect(status).toBe(403);
  });

  it("says what to do when nothing runs there, or no region is known for AWS", async () => {
    await expect(connectLocal("http://127.0.0.1:1")).rejects.toThrow(/is `npm start` running\?/);
    await expect(connect({}, {})).rejects.toThrow(/pass --region or set AWS_REGION/);
  });

  it("takes --local with or without a URL", () => {
    expect(splitLocalFlag(["--local"])).toEqual(["--local", ""]);
    expect(splitLocalFlag(["--local", "--json"])).toEqual(["--local", "", "--json"]);
    expect(splitLocalFlag(["--local", "http://localhost:4000"])).toEqual([
      "--local",
      "http://localhost:4000",
    ]);
  });
});
