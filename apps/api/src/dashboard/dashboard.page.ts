/** The dashboard shell. It holds no data: it reads the API with the key the user types in. */
export function dashboardHtml(temporalUiUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>opsloop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#1d2433}
 .up{color:#137333}.down{color:#b3261e} code{background:#f1f3f4;padding:0 .3em}
 table{border-collapse:collapse} td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}
</style></head>
<body>
<h1>opsloop</h1>
<p>Closed-loop operations automation. <a href="/api/docs">API docs</a> ·
<a href="${escapeAttr(temporalUiUrl)}">Temporal UI</a></p>
<h2>Readiness</h2>
<table id="ready"><tr><th>dependency</th><th>status</th><th>latency</th><th>error</th></tr></table>
<script>
fetch('/health/ready').then(r => r.json()).then(body => {
  const t = document.getElementById('ready');
  for (const [name, c] of Object.entries(body.checks || {})) {
    const row = t.insertRow();
    [name, c.status, c.latencyMs + ' ms', c.error || ''].forEach((v, i) => {
      const cell = row.insertCell(); cell.textContent = v; if (i === 1) cell.className = c.status;
    });
  }
});
</script>
</body></html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/[&"<>]/g, (c) => ({ '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;' })[c] as string);
}
