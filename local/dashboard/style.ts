import { SLACK_PANEL_CSS } from "./slack-style.js";

/** The dashboard's one stylesheet, served from /local/assets (the CSP allows no inline style). */
export const DASHBOARD_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
header{display:flex;align-items:baseline;gap:1rem;flex-wrap:wrap;padding:.75rem 1.25rem;background:#1f2328;color:#fff}
header h1{font-size:1.1rem;margin:0}header p{margin:0;color:#d0d7de}
#status{margin-left:auto;color:#7ee787;min-height:1.2em}#status.error{color:#ffa198}
.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;padding:1rem 1.25rem}
@media (max-width:1000px){.grid{grid-template-columns:1fr}}
.column{display:flex;flex-direction:column;gap:1rem;min-width:0}
section.panel{background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:.75rem 1rem;min-width:0}
section.panel>h2{font-size:1rem;margin:0 0 .5rem}
h3{font-size:.95rem;margin:.75rem 0 .35rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .4rem;border-top:1px solid #eaeef2;vertical-align:top}
th{font-weight:600;color:#57606a;border-top:0}
.muted,.hint{color:#57606a}.hint{font-size:.85rem}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.8rem;font-weight:600;white-space:nowrap}
.badge.ok{background:#dafbe1;color:#116329}.badge.run{background:#ddf4ff;color:#0550ae}
.badge.bad{background:#ffebe9;color:#a40e26}.badge.muted{background:#eaeef2;color:#57606a}.badge.none{color:#8c959f}
.stage small{display:block;color:#57606a}
.card{border:1px solid #d0d7de;border-radius:.4rem;padding:.5rem .75rem;margin:.5rem 0}
.card header{all:unset;display:flex;gap:.5rem;align-items:baseline;flex-wrap:wrap}
ol.history{margin:.35rem 0 0;padding-left:1.2rem;font-size:.85rem}
iframe{width:100%;height:430px;border:1px solid #d0d7de;border-radius:.4rem;background:#fff}
form{display:inline-flex;gap:.4rem;align-items:center;flex-wrap:wrap;margin:0}
button{font:inherit;font-weight:600;padding:.35rem .8rem;border-radius:.375rem;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f2328;border-color:#d0d7de}button.danger{background:#fff;color:#cf222e;border-color:#cf222e}
select,input[type=text],textarea{font:inherit;padding:.3rem;border:1px solid #8c959f;border-radius:.375rem}
a{color:#0969da}
button:focus-visible,a:focus-visible,select:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.slack-line{margin:.2rem 0;white-space:pre-wrap}.slack-reply{margin:.35rem 0 0;padding-left:.6rem;border-left:3px solid #d0d7de;font-size:.9rem}
.gh-body{white-space:pre-wrap;margin:.2rem 0 .5rem;overflow-wrap:anywhere}.gh-comment{border-top:1px solid #eaeef2;padding-top:.3rem}
.check{border:1px solid #eaeef2;border-radius:.4rem;padding:.35rem .5rem;margin:.4rem 0}
.md-body p{margin:.25rem 0}.md-heading{font-weight:600;font-size:1rem}table.md td{border:1px solid #d0d7de;padding:.2rem .4rem}
details summary{cursor:pointer}
main.staging{max-width:40rem;margin:2rem auto;background:#fff;border:1px solid #d0d7de;border-radius:.5rem;padding:1.5rem}
/* --- Narrow screens (issue 14): nothing scrolls sideways at 390 px --- */
td,.hint{overflow-wrap:anywhere}
table.md td:first-child{overflow-wrap:normal}
@media (max-width:600px){
header,.grid{padding-left:.5rem;padding-right:.5rem}
section.panel{padding:.6rem}
section[data-panel=pipelines] table,section[data-panel=pipelines] tbody,section[data-panel=pipelines] tr,section[data-panel=pipelines] td{display:block;width:100%}
section[data-panel=pipelines] thead{display:none}
section[data-panel=pipelines] tr{border-top:1px solid #d0d7de;padding:.25rem 0}
section[data-panel=pipelines] td{border-top:0;padding:.15rem .4rem}
section[data-panel=pipelines] td.stage{display:flex;gap:.5rem;align-items:baseline;flex-wrap:wrap}
section[data-panel=pipelines] td.stage::before{content:attr(data-stage);min-width:6.5rem;color:#57606a}
section[data-panel=pipelines] td.stage small{display:inline}
}
/* --- end narrow screens --- */
${SLACK_PANEL_CSS}`;
