import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Secrets Manager's JSON 1.1 protocol on a local port (POST / with X-Amz-Target:
 * secretsmanager.GetSecretValue | PutSecretValue), holding secrets by ARN: enough for the SDK
 * client the set-up commands build from a target's config.
 */
export async function fakeSecretsManager(initial: Record<string, string> = {}) {
  const secrets = new Map(Object.entries(initial));
  const puts: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
        SecretId?: string;
        SecretString?: string;
      };
      const id = body.SecretId ?? "";
      const send = (status: number, json: object, type?: string) => {
        res.writeHead(status, {
          "content-type": "application/x-amz-json-1.1",
          ...(type ? { "x-amzn-errortype": type } : {}),
        });
        res.end(JSON.stringify(json));
      };
      const action = req.headers["x-amz-target"]?.toString().split(".")[1];
      if (!secrets.has(id))
        return send(
          400,
          { __type: "ResourceNotFoundException", message: "not found" },
          "ResourceNotFoundException",
        );
      if (action === "GetSecretValue") return send(200, { ARN: id, SecretString: secrets.get(id) });
      if (action === "PutSecretValue" && typeof body.SecretString === "string") {
        secrets.set(id, body.SecretString);
        puts.push(id);
        return send(200, { ARN: id, VersionId: `v${puts.length}` });
      }
      return send(
        400,
        { __type: "InvalidRequestException", message: String(action) },
        "InvalidRequestException",
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    secrets,
    puts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
