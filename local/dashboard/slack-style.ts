/** The Slack panel's Block Kit look (appended to the dashboard stylesheet by style.ts). */
export const SLACK_PANEL_CSS = `
.sk-message{display:block}.sk-message>*{max-width:100%}
.sk-header{font-weight:700;font-size:1.05rem;margin:.3rem 0}
.sk-section{display:flex;gap:.5rem;align-items:flex-start;margin:.3rem 0}.sk-section-main{flex:1;min-width:0}
.sk-text,.sk-field{overflow-wrap:anywhere}
.sk-fields{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.3rem 1rem;margin-top:.3rem}
.sk-quote{margin:.2rem 0;padding-left:.6rem;border-left:4px solid #d0d7de;color:#424a53}
.sk-context{display:flex;flex-wrap:wrap;gap:.5rem;font-size:.8rem;color:#57606a;margin:.3rem 0}
.sk-divider{border:0;border-top:1px solid #d0d7de;margin:.5rem 0}
.sk-actions{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0}
.sk-mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
.sk-btn{display:inline-block;font:inherit;font-weight:600;padding:.3rem .8rem;border-radius:.3rem;border:1px solid #b4b4b4;background:#fff;color:#1d1c1d;text-decoration:none}
.sk-btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}.sk-btn.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.sk-modal{border-color:#8c959f;box-shadow:0 2px 8px rgba(0,0,0,.15)}
.sk-modal-form{display:flex;flex-direction:column;align-items:stretch}
.sk-input{display:flex;flex-direction:column;gap:.25rem;margin:.4rem 0}.sk-input textarea,.sk-input input{width:100%}
.sk-input.invalid textarea,.sk-input.invalid input{border-color:#e01e5a}
.sk-error{color:#e01e5a;margin:0;font-size:.85rem}.sk-hint{color:#57606a;margin:0;font-size:.8rem}.sk-optional{color:#57606a;font-weight:400}
.sk-modal-buttons{display:flex;justify-content:flex-end;gap:.4rem}
.sk-reactions{display:flex;gap:.3rem;margin:.3rem 0}.sk-reaction{border:1px solid #d0d7de;border-radius:1rem;padding:0 .4rem;font-size:.85rem}
`;
