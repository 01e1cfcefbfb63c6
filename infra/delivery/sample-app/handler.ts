/**
 * The sample web app the delivery pipeline ships: one page that says which environment and which
 * commit it is, so a stakeholder reviewing staging sees what they approve. The build step bundles
 * this file with the commit baked in (`__RELEASE__`).
 */
declare const __RELEASE__: string;

interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const handler = async (): Promise<FunctionUrlResult> => {
  const environment = escapeHtml(process.env.APP_ENVIRONMENT ?? "unknown");
  const release = escapeHtml(typeof __RELEASE__ === "string" ? __RELEASE__ : "dev");
  return {
    statusCode: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
    body: `<!doctype html><html lang="en"><meta charset="utf-8"><title>Greenlight sample (${environment})</title>
<body style="font-family:system-ui;margin:3rem"><h1>Greenlight sample app</h1>
<p>Environment: <strong>${environment}</strong></p><p>Release: <code>${release}</code></p></body></html>`,
  };
};
