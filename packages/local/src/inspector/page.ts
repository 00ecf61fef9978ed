// The inspector page served at /_lamina: one self-contained HTML file, no framework. It loads the
// last invocations, then listens to /_lamina/events and adds each new one as it ends. Every value
// shown comes from the function, so it is set as text, never as HTML.
export const inspectorPage = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lamina dev · inspector</title>
<style>
  :root { --before: #3b6fe0; --handler: #1f9d63; --after: #e08a1e; --onError: #d23c3c; --cleanup: #7d55c7; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 13px/1.4 system-ui, sans-serif; color: #1d2330; background: #f6f7f9; display: grid; grid-template-columns: 340px 1fr; height: 100vh; }
  header { grid-column: 1 / 3; padding: 8px 14px; background: #1d2330; color: #fff; display: flex; gap: 12px; align-items: baseline; }
  header h1 { font-size: 15px; margin: 0; }
  #status { color: #9fb0c8; }
  #list { overflow: auto; border-right: 1px solid #d9dde3; margin: 0; padding: 0; list-style: none; }
  #list li { padding: 8px 12px; border-bottom: 1px solid #e6e9ee; cursor: pointer; }
  #list li.selected { background: #e3ebfb; }
  #list li .label { font-weight: 600; }
  #list li .meta { color: #5b6475; }
  #list li.failed .summary { color: #c0392b; font-weight: 600; }
  #detail { overflow: auto; padding: 12px 18px; }
  #detail h2 { font-size: 15px; margin: 0 0 4px; }
  #detail h3 { font-size: 13px; margin: 16px 0 6px; color: #3d4556; }
  pre { background: #fff; border: 1px solid #dfe3e8; padding: 8px; margin: 0; overflow: auto; max-height: 320px; font: 12px/1.35 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
  .waterfall { background: #fff; border: 1px solid #dfe3e8; padding: 6px 8px; }
  .row { display: flex; align-items: center; height: 22px; }
  .row .name { width: 220px; flex: none; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .row .track { position: relative; flex: 1; height: 14px; background: #f0f2f5; }
  .row .bar { position: absolute; top: 0; height: 14px; min-width: 1px; }
  .row .ms { width: 70px; flex: none; text-align: right; color: #5b6475; }
  .bar.before { background: var(--before); } .bar.handler { background: var(--handler); } .bar.after { background: var(--after); }
  .bar.onError { background: var(--onError); } .bar.cleanup { background: var(--cleanup); }
  .legend span { display: inline-block; margin-right: 10px; }
  .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
  .empty { color: #5b6475; padding: 20px; }
</style>
</head>
<body>
<header><h1>lamina dev · inspector</h1><span id="status">connecting…</span></header>
<ul id="list" aria-label="invocations"></ul>
<main id="detail"><p class="empty">No invocations yet: send a request to the dev server.</p></main>
<script>
(function () {
  var records = [];
  var selectedId = null;
  var pinned = false;
  var list = document.getElementById('list');
  var detail = document.getElementById('detail');
  var status = document.getElementById('status');

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function ms(value) { return (value < 10 ? value.toFixed(1) : Math.round(value)) + ' ms'; }
  function pretty(value) {
    if (value === undefined) return '(none)';
    if (typeof value === 'string') { try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; } }
    return JSON.stringify(value, null, 2);
  }

  function waterfall(record) {
    var box = el('div', 'waterfall');
    box.setAttribute('data-testid', 'waterfall');
    var timings = record.timings || [];
    if (timings.length === 0) { box.appendChild(el('div', 'empty', 'No middleware timings for this invocation.')); return box; }
    var origin = Math.min.apply(null, timings.map(function (t) { return t.startMs; }));
    if (origin <= record.durationMs) origin = 0;
    var end = Math.max.apply(null, timings.map(function (t) { return t.endMs; })) - origin;
    var total = Math.max(end, record.durationMs, 0.001);
    timings.forEach(function (t) {
      var row = el('div', 'row');
      var name = t.phase === 'handler' ? 'handler' : (t.middleware || '?') + ' · ' + t.phase;
      row.appendChild(el('span', 'name', name));
      var track = el('div', 'track');
      var bar = el('div', 'bar ' + t.phase);
      bar.style.left = ((t.startMs - origin) / total * 100) + '%';
      bar.style.width = (Math.max(0, t.endMs - t.startMs) / total * 100) + '%';
      bar.setAttribute('data-ms', String(t.endMs - t.startMs));
      bar.title = name + ': ' + ms(t.endMs - t.startMs);
      track.appendChild(bar);
      row.appendChild(track);
      row.appendChild(el('span', 'ms', ms(t.endMs - t.startMs)));
      box.appendChild(row);
    });
    var legend = el('div', 'legend');
    ['before', 'handler', 'after', 'onError', 'cleanup'].forEach(function (phase) {
      var item = el('span');
      var swatch = el('i');
      swatch.style.background = 'var(--' + phase + ')';
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(phase));
      legend.appendChild(item);
    });
    box.appendChild(legend);
    return box;
  }

  function showDetail(record) {
    detail.textContent = '';
    detail.appendChild(el('h2', '', record.label + ' → ' + record.summary));
    detail.appendChild(el('div', 'meta', record.functionName + ' · ' + ms(record.durationMs) + ' · ' + (record.cold ? 'cold' : 'warm') + ' · ' + record.requestId + ' · ' + record.at));
    detail.appendChild(el('h3', '', 'Middleware timings'));
    detail.appendChild(waterfall(record));
    detail.appendChild(el('h3', '', 'Event'));
    detail.appendChild(el('pre', 'event', pretty(record.event)));
    detail.appendChild(el('h3', '', record.error ? 'Error' : 'Response'));
    detail.appendChild(el('pre', 'response', pretty(record.error || record.response)));
    detail.appendChild(el('h3', '', 'Log lines (' + record.logs.length + ')'));
    detail.appendChild(el('pre', 'logs', record.logs.join('\n') || '(none)'));
  }

  function render() {
    list.textContent = '';
    records.slice().reverse().forEach(function (record) {
      var item = el('li', record.ok ? '' : 'failed');
      item.setAttribute('data-request-id', record.requestId);
      if (record.id === selectedId) item.classList.add('selected');
      item.appendChild(el('div', 'label', record.label));
      var meta = el('div', 'meta');
      meta.appendChild(el('span', 'summary', record.summary));
      meta.appendChild(document.createTextNode(' · ' + ms(record.durationMs) + ' · ' + (record.cold ? 'cold' : 'warm') + ' · ' + record.functionName));
      item.appendChild(meta);
      item.addEventListener('click', function () { selectedId = record.id; pinned = true; render(); });
      list.appendChild(item);
    });
    var selected = records.filter(function (r) { return r.id === selectedId; })[0];
    if (selected) showDetail(selected);
  }

  function add(record) {
    if (records.some(function (r) { return r.id === record.id; })) return;
    records.push(record);
    records.sort(function (a, b) { return a.id - b.id; });
    if (records.length > 50) records.shift();
    if (!pinned && selectedId !== null && record.id < selectedId) { render(); return; }
    if (!pinned) selectedId = record.id;
    render();
  }

  // Listen first, then load what came before: an invocation ending in between arrives twice, never not at all.
  var source = new EventSource('/_lamina/events');
  source.onmessage = function (message) { add(JSON.parse(message.data)); };
  source.onerror = function () { status.textContent = 'reconnecting…'; document.body.removeAttribute('data-live'); };
  source.onopen = function () {
    fetch('/_lamina/invocations').then(function (r) { return r.json(); }).then(function (initial) {
      initial.forEach(add);
      status.textContent = 'live';
      document.body.setAttribute('data-live', 'true');
    });
  };
})();
</script>
</body>
</html>
`
