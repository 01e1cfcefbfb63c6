import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import type { MiddlewareHandler } from "hono";

/**
 * The GitHub stand-in checked against GitHub's own OpenAPI description (`@octokit/openapi`, which
 * republishes github/rest-api-description for api.github.com) and its webhooks description
 * (`@octokit/openapi-webhooks`). Every request the app makes is matched to an operation (path and
 * method), its query parameters and JSON body are checked against the operation's parameters and
 * requestBody, and every answer against the documented response for its status. Anything the spec
 * does not describe is a violation: tests assert there are none.
 */

export interface Violation {
  /** `METHOD /path` as requested (no query string, no body). */
  request: string;
  /** The spec's operationId, when the route matched one. */
  operation?: string;
  where: "route" | "query" | "request body" | "response status" | "response body" | "webhook";
  /** Ajv's first errors (path + message), never the payload itself. */
  problem: string;
}

type Json = Record<string, unknown>;

interface Operation {
  id: string;
  method: string;
  pattern: RegExp;
  literal: number;
  template: string;
  params: { name: string; in: string; required: boolean; schema: unknown }[];
  requestBody?: unknown;
  bodyRequired: boolean;
  responses: Record<string, unknown>;
}

/**
 * Errors GitHub answers on any endpoint although most operations do not list them: Bad credentials
 * (401), Forbidden / rate limits (403), Not Found for a repository the token cannot see (404) and
 * Validation Failed (422) ("Troubleshooting the REST API", "Using pagination in the REST API").
 * They are accepted on every operation, with GitHub's error body schema.
 */
const GLOBAL_ERRORS: Record<string, string> = {
  "401": "basic-error",
  "403": "basic-error",
  "404": "basic-error",
  "422": "validation-error",
};

const obj = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});

export interface Contract {
  /** Spec versions, for docs and reports. */
  versions: { rest: string; webhooks: string };
  /** Milliseconds it took to read and index both descriptions (once per process). */
  loadMs: number;
  checkRequest(input: { method: string; path: string; query: URLSearchParams; body: unknown }): {
    operation?: Operation;
    violations: Violation[];
  };
  checkResponse(operation: Operation, request: string, status: number, body: unknown): Violation[];
  checkWebhook(event: string, payload: unknown): Violation[];
}

const KEY = Symbol.for("greenlight.github-contract");

/**
 * One schema with every component it reaches, as `definitions` (refs rewritten to them), so Ajv
 * compiles only what an operation uses instead of GitHub's 1,000+ schemas. OpenAPI 3.0's
 * `nullable: true` is rewritten on the way as JSON Schema says it: beside a `$ref`/`allOf` (no
 * `type`) as "that, or null", and with an `enum` by adding null to it.
 */
function bundle(root: unknown, schemas: Json): Json {
  const definitions: Json = {};
  const queue: string[] = [];
  const walk = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(walk);
    if (typeof schema !== "object" || schema === null) return schema;
    const out: Json = {};
    for (const [k, v] of Object.entries(schema)) {
      if (k === "example" || k === "examples") continue;
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/")) {
        const name = v.slice("#/components/schemas/".length);
        if (!(name in definitions)) {
          definitions[name] = {};
          queue.push(name);
        }
        out[k] = `#/definitions/${name}`;
      } else out[k] = walk(v);
    }
    if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null))
      out.enum = [...out.enum, null];
    if (out.nullable === true && out.type === undefined) {
      const { nullable: _drop, ...rest } = out;
      return { anyOf: [rest, { type: "null" }] };
    }
    return out;
  };
  const top = obj(walk(root));
  for (let name = queue.shift(); name !== undefined; name = queue.shift())
    definitions[name] = walk(schemas[name]);
  return { ...top, definitions };
}

/** GitHub's descriptions, read and indexed once per process (they are 13 MB + 10 MB of JSON). */
export function loadContract(): Contract {
  const holder = globalThis as unknown as Record<symbol, Contract | undefined>;
  holder[KEY] ??= build();
  return holder[KEY];
}

function build(): Contract {
  const started = performance.now();
  const require = createRequire(import.meta.url);
  const read = (file: string): Json => JSON.parse(readFileSync(require.resolve(file), "utf8"));
  const rest = read("@octokit/openapi/generated/api.github.com.json");
  // The webhooks description is read the first time a payload is checked.
  let hooksDoc: Json | undefined;
  const hooks = () => {
    hooksDoc ??= read("@octokit/openapi-webhooks/generated/api.github.com.json");
    return hooksDoc;
  };

  // The descriptions are GitHub's, not ours to lint: no meta-validation (it costs seconds).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, validateSchema: false });
  // ajv-formats is CommonJS with an `exports.default`: under NodeNext the import is the module.
  formats.default(ajv);
  // GitHub's own format names (not JSON Schema's): documentation only, nothing to check.
  for (const f of ["uri-template", "repo.nwo", "ssh-key", "ssh-key fingerprint"]) ajv.addFormat(f, true);
  const coercing = new Ajv({ strict: false, coerceTypes: true });

  const components = obj(rest.components);
  const deref = (v: unknown, section: string): Json => {
    const ref = obj(v).$ref;
    if (typeof ref !== "string") return obj(v);
    return obj(obj(components[section])[ref.split("/").pop() ?? ""]);
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(obj(rest.paths))) {
    for (const [method, raw] of Object.entries(obj(item))) {
      if (method === "parameters") continue;
      const op = obj(raw);
      const params = ((op.parameters as unknown[]) ?? []).map((p) => {
        const d = deref(p, "parameters");
        return {
          name: String(d.name),
          in: String(d.in),
          required: d.required === true,
          schema: d.schema,
          multi: d["x-multi-segment"] === true,
        };
      });
      const source = template
        .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
        .replace(/\{(\w+)\}/g, (_m, name: string) =>
          params.find((p) => p.name === name)?.multi ? "(.+)" : "([^/]+)",
        );
      operations.push({
        id: String(op.operationId),
        method: method.toUpperCase(),
        pattern: new RegExp(`^${source}$`),
        literal: template.replace(/\{\w+\}/g, "").length,
        template,
        params,
        requestBody: obj(obj(obj(op.requestBody).content)["application/json"]).schema,
        bodyRequired: obj(op.requestBody).required === true,
        responses: obj(op.responses),
      });
    }
  }
  // The most literal template wins (`/commits/{sha}/pulls` before `/commits/{ref}`).
  operations.sort((a, b) => b.literal - a.literal);

  const errorSchemas = new Map<string, Json>();
  const errorSchema = (name: string) => {
    const found = errorSchemas.get(name) ?? { $ref: `#/components/schemas/${name}` };
    errorSchemas.set(name, found);
    return found;
  };
  const compiled = new Map<unknown, ValidateFunction>();
  const validator = (schema: unknown, doc: Json): ValidateFunction => {
    let v = compiled.get(schema);
    if (!v) {
      v = ajv.compile(bundle(schema, obj(obj(doc.components).schemas)));
      compiled.set(schema, v);
    }
    return v;
  };
  const problems = (v: ValidateFunction) =>
    (v.errors ?? [])
      .slice(0, Number(process.env.CONTRACT_ERRORS ?? 5))
      .map(
        (e) =>
          `${e.instancePath || "/"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
      )
      .join("; ");

  const contract: Contract = {
    versions: {
      rest: String(obj(rest.info).version),
      get webhooks() {
        return String(obj(hooks().info).version);
      },
    },
    loadMs: 0,
    checkRequest({ method, path, query, body }) {
      const request = `${method} ${path}`;
      const operation = operations.find((o) => o.method === method && o.pattern.test(path));
      if (!operation)
        return {
          violations: [
            { request, where: "route", problem: "no such operation in GitHub's REST description" },
          ],
        };
      const violations: Violation[] = [];
      const at = { request, operation: operation.id };
      for (const key of new Set(query.keys())) {
        const param = operation.params.find((p) => p.in === "query" && p.name === key);
        if (!param) {
          violations.push({ ...at, where: "query", problem: `undocumented query parameter "${key}"` });
          continue;
        }
        const check = coercing.compile({ type: "object", properties: { v: param.schema ?? {} } });
        if (!check({ v: query.get(key) }))
          violations.push({ ...at, where: "query", problem: `${key}: ${problems(check)}` });
      }
      for (const p of operation.params.filter((x) => x.in === "query" && x.required && !query.has(x.name)))
        violations.push({ ...at, where: "query", problem: `missing required query parameter "${p.name}"` });
      if (operation.requestBody && (body !== undefined || operation.bodyRequired)) {
        const check = validator(operation.requestBody, rest);
        if (!check(body)) violations.push({ ...at, where: "request body", problem: problems(check) });
      } else if (body !== undefined && method !== "GET" && method !== "DELETE")
        violations.push({ ...at, where: "request body", problem: "the operation takes no body" });
      return { operation, violations };
    },
    checkResponse(operation, request, status, body) {
      const at = { request, operation: operation.id };
      const documented = operation.responses[String(status)];
      const global = GLOBAL_ERRORS[String(status)];
      if (!documented && !global)
        return [{ ...at, where: "response status", problem: `status ${status} is not documented` }];
      // A documented error without a body schema still gets GitHub's error body (`message`, …).
      const schema = documented
        ? (obj(obj(obj(deref(documented, "responses").content)["application/json"])).schema ??
          (status >= 400 ? errorSchema("basic-error") : undefined))
        : errorSchema(global ?? "basic-error");
      if (!schema)
        return body === undefined
          ? []
          : [{ ...at, where: "response body", problem: `status ${status} has no body` }];
      const check = validator(schema, rest);
      return check(body) ? [] : [{ ...at, where: "response body", problem: problems(check) }];
    },
    checkWebhook(event, payload) {
      const action = obj(payload).action;
      const key = `${event}${typeof action === "string" ? `-${action}` : ""}`.replaceAll("_", "-");
      const hook = obj(obj(obj(hooks().webhooks)[key]).post);
      const schema = obj(obj(obj(hook.requestBody).content)["application/json"]).schema;
      const request = `webhook ${event}.${String(action)}`;
      if (!schema)
        return [{ request, where: "webhook", problem: `no webhook ${key} in GitHub's description` }];
      const check = validator(schema, hooks());
      return check(payload) ? [] : [{ request, operation: key, where: "webhook", problem: problems(check) }];
    },
  };
  contract.loadMs = Math.round(performance.now() - started);
  return contract;
}

/**
 * Hono middleware: check each request and the stand-in's answer; violations go to `sink`. The
 * stand-in's own inspection routes (`/_…`) are not GitHub's and are skipped.
 */
export function contractMiddleware(contract: Contract, sink: Violation[]): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith("/_")) return next();
    const text = c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.raw.clone().text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const request = `${c.req.method} ${url.pathname}`;
    // A bug in the check must show as a violation, never as a 500 the app would see.
    const guarded = (fn: () => Violation[]) => {
      try {
        sink.push(...fn());
      } catch (e: unknown) {
        sink.push({
          request,
          where: "route",
          problem: `contract check failed: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
    };
    let operation: Operation | undefined;
    guarded(() => {
      const checked = contract.checkRequest({
        method: c.req.method,
        path: url.pathname,
        query: url.searchParams,
        body,
      });
      operation = checked.operation;
      return checked.violations;
    });
    await next();
    const matched = operation;
    if (!matched) return;
    const answer = await c.res.clone().text();
    guarded(() =>
      contract.checkResponse(matched, request, c.res.status, answer ? JSON.parse(answer) : undefined),
    );
  };
}
