import type { LambdaContext, LambdaEvent } from "hono/aws-lambda";

export interface FunctionUrlRequest {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Function URLs base64-encode bodies they do not consider text. */
  base64?: boolean;
  userAgent?: string;
  at?: Date;
}

/** A Lambda function URL request (payload format 2.0), as the function URL hands it to Lambda. */
export function functionUrlEvent(r: FunctionUrlRequest): LambdaEvent {
  const at = r.at ?? new Date("2026-11-29T20:22:00Z");
  const body =
    r.body === undefined ? null : r.base64 ? Buffer.from(r.body, "utf8").toString("base64") : r.body;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: r.path,
    rawQueryString: r.query ?? "",
    headers: { host: "abc123.lambda-url.us-east-2.on.aws", ...r.headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      authentication: null,
      authorizer: {},
      domainName: "abc123.lambda-url.us-east-2.on.aws",
      domainPrefix: "abc123",
      http: {
        method: r.method,
        path: r.path,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.9",
        userAgent: r.userAgent ?? "test",
      },
      requestId: "req-1",
      routeKey: "$default",
      stage: "$default",
      time: at.toUTCString(),
      timeEpoch: at.getTime(),
    },
    body,
    isBase64Encoded: Boolean(r.base64 && r.body !== undefined),
  };
}

/** The Lambda context a handler receives; Greenlight's handlers read none of it. */
export const lambdaContext: LambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "greenlight-http",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-2:123456789012:function:greenlight-http",
  memoryLimitInMB: "1024",
  awsRequestId: "req-1",
  logGroupName: "/aws/lambda/greenlight-http",
  logStreamName: "local",
  getRemainingTimeInMillis: () => 10_000,
};
