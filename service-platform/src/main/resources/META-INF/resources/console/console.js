// The dtx-lab console: plain JavaScript, no build step. Everything live comes from one server-sent-event stream
// (/console/api/stream) of the node that served this page; the page itself polls nothing.
'use strict';

const TOKEN_KEY = 'dtx.adminToken';
const $ = (selector, root = document) => root.querySelector(selector);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
};

let snapshot = null;          // the last cluster map
let snapshotReceivedAt = 0;   // when it arrived (for the in-doubt clocks)
let diagramSeq = 0;
const panes = {
  left: { root: '#pane-2pc', box: '#diagram-2pc', follow: true, xid: null, complete: false },
  right: { root: '#pane-3pc', box: '#diagram-3pc', follow: true, xid: null, complete: false },
};

mermaid.initialize({ startOnLoad: false, theme: 'neutral', securityLevel: 'strict',
  sequence: { mirrorActors: false, messageFontSize: 12, noteFontSize: 11, actorFontSize: 12 } });

// ---- the stream ----------------------------------------------------------------------------------------------
function connect() {
  const stream = new EventSource('/console/api/stream');
  stream.onopen = () => setBadge('#stream', 'live', 'up');
  stream.onerror = () => setBadge('#stream', 'reconnecting…', 'down');
  stream.addEventListener('snapshot', e => { snapshot = JSON.parse(e.data); snapshotReceivedAt = Date.now(); render(); });
  stream.addEventListener('cluster-event', e => addEvent(JSON.parse(e.data)));
}

function setBadge(selector, text, kind) {
  const b = $(selector);
  b.textContent = text;
  b.className = 'badge ' + kind;
}

function render() {
  $('#served-by').textContent = 'served by ' + snapshot.servedBy;
  renderMap();
  renderTransactions();
  renderInDoubt();
  renderReplication();
  fillNodeSelects();
}

// ---- the cluster map -----------------------------------------------------------------------------------------
function leaderView() {
  // the leader as the coordinators that lead say it; else what a majority of followers believe
  const views = snapshot.coordinators.filter(c => !c.down);
  const leading = views.find(c => c.role === 'LEADER');
  if (leading) return leading;
  const named = views.find(c => c.leader);
  return named ? { node: named.leader, ballot: named.ballot, epoch: named.epoch, believed: true } : null;
}

function masterView() {
  const replicas = snapshot.replicas.filter(r => !r.down);
  return replicas.find(r => r.role === 'MASTER') || null;
}

function renderMap() {
  const leader = leaderView();
  $('#leader').textContent = leader
    ? `leader ${leader.node} · ballot ${leader.ballot} · epoch ${leader.epoch}${leader.believed ? ' (as followers believe)' : ''}`
    : 'no coordinator leads';
  $('#leader').dataset.leader = leader ? leader.node : '';
  const master = masterView();
  $('#master').textContent = master ? `master ${master.node} · epoch ${master.epoch} · ${master.settings ? master.settings.mode : ''}`
    : (snapshot.replicas.length ? 'no master answers' : 'no replicas in this cluster');

  const groups = { participants: [], coordinators: [], replicas: [] };
  for (const n of snapshot.nodes) {
    const group = n.role === 'coordinator' ? 'coordinators' : n.role === 'replica' ? 'replicas' : 'participants';
    groups[group].push(card(n, leader, master));
  }
  const map = $('#map');
  map.replaceChildren(...Object.entries(groups).filter(([, cards]) => cards.length)
    .map(([name, cards]) => el('div', { class: 'group' }, el('h3', {}, name), cards)));
}

function card(n, leader, master) {
  const facts = [];
  let lead = false;
  if (n.role === 'coordinator') {
    const c = snapshot.coordinators.find(v => v.node === n.id);
    if (c && !c.down) {
      lead = c.role === 'LEADER';
      facts.push(`${c.role} · ballot ${c.ballot} · epoch ${c.epoch}`, `log: chosen ≤ ${c.lastChosen}, applied < ${c.firstUnchosen}`);
    }
  } else if (n.role === 'replica') {
    const r = snapshot.replicas.find(v => v.node === n.id);
    if (r && !r.down) {
      lead = r.role === 'MASTER';
      facts.push(`${r.role} · epoch ${r.epoch} · applied ${r.appliedIndex}`,
        r.role === 'MASTER' ? `mode ${r.settings ? r.settings.mode : '?'}` : `lag ${lagText(r)}`);
    }
  } else {
    const d = snapshot.inDoubt.find(p => p.participant === n.id);
    if (d) facts.push(`${d.branches.length} branch${d.branches.length === 1 ? '' : 'es'} in doubt`);
  }
  if (!n.up) facts.push(n.error || n.status);
  const classes = ['card', n.up ? 'up' : 'down', lead ? (n.role === 'replica' ? 'master' : 'leader') : ''].join(' ');
  return el('div', { class: classes, 'data-node': n.id },
    el('span', { class: 'name' }, n.id), ' ',
    el('span', { class: 'badge ' + (n.up ? 'up' : 'down') }, n.up ? 'UP' : n.status), ' ',
    lead ? el('span', { class: 'badge lead' }, n.role === 'replica' ? 'MASTER' : 'LEADER') : '',
    n.incarnation ? el('span', { class: 'note' }, ` incarnation ${n.incarnation}`) : '',
    el('div', { class: 'facts' }, facts.map(f => el('div', {}, f))),
    el('div', {},
      el('button', { class: 'crash', disabled: n.up ? null : 'disabled', onclick: () => crash(n.id) }, 'crash'), ' ',
      el('button', { onclick: () => pickForFaults(n.id) }, 'faults…')));
}

function lagText(r) {
  if (r.lagEntries === undefined || r.lagEntries === null) return 'unknown';
  return `${r.lagEntries} entries, ${r.lagMs ?? '?'} ms`;
}

// ---- transactions and their diagrams -------------------------------------------------------------------------
function renderTransactions() {
  const body = $('#tx-list tbody');
  const selected = new Set([panes.left.xid, panes.right.xid]);
  body.replaceChildren(...snapshot.transactions.map(t => el('tr', {
      'data-xid': t.xid, class: selected.has(t.xid) ? 'selected' : '', onclick: () => pick(t) },
    el('td', {}, time(t.begunAt)), el('td', {}, t.xid), el('td', {}, t.protocol), el('td', {}, t.state),
    el('td', {}, el('span', { class: 'badge ' + (t.decision || '') }, t.decision || '')),
    el('td', {}, t.messages ?? ''), el('td', {}, t.durationMs ?? ''), el('td', {}, t.coordinator || ''),
    el('td', { class: 'reason' }, t.reason || ''))));
  for (const side of ['left', 'right']) {
    const pane = panes[side];
    const mine = snapshot.transactions.filter(t => sideOf(t) === side);
    if (pane.follow && mine.length && mine[0].xid !== pane.xid) {
      draw(side, mine[0].xid);
    } else if (pane.xid && !pane.complete) {
      draw(side, pane.xid); // still running (or END not yet logged): at most once per change of the map
    }
  }
}

function markSelected() {
  const selected = new Set([panes.left.xid, panes.right.xid]);
  for (const row of document.querySelectorAll('#tx-list tbody tr')) row.classList.toggle('selected', selected.has(row.dataset.xid));
}

const sideOf = t => (t.protocol === '3PC' ? 'right' : 'left');

function pick(t) {
  const side = sideOf(t);
  panes[side].follow = false;
  draw(side, t.xid);
}

async function draw(side, xid) {
  const pane = panes[side];
  if (pane.xid !== xid) pane.complete = false;
  pane.xid = xid;
  const answer = await fetch('/console/api/transactions/' + encodeURIComponent(xid), { headers: { Accept: 'application/json' } });
  const tx = await answer.json();
  if (pane.xid !== xid) return; // another one was picked meanwhile
  // whole once END is logged (NONE logs nothing: once it ended); until then it is drawn again as the map changes
  pane.complete = tx.protocol === 'NONE' ? tx.state === 'ENDED'
    : !tx.timelineMissing && (tx.timeline || []).some(e => String(e.what).startsWith('END logged'));
  const root = $(pane.root);
  $('.title', root).textContent = `${tx.xid} · ${tx.state} ${tx.decision || ''}`;
  $('.meta', root).textContent = [`${tx.messages ?? 0} participant messages`, `${tx.consensusMessages ?? 0} consensus messages`,
    tx.timelineFrom ? 'timeline from ' + tx.timelineFrom.join(', ') : '', tx.timelineMissing || '', tx.reason || '']
    .filter(Boolean).join(' · ');
  const box = $(pane.box);
  if (!tx.timeline || !tx.timeline.length) {
    box.replaceChildren(el('p', { class: 'note' }, answer.ok ? 'no timeline to draw' : (tx.detail || 'not found')));
  } else {
    try {
      const { svg } = await mermaid.render('seq' + (++diagramSeq), sequence(tx));
      if (pane.xid !== xid) return;
      box.innerHTML = svg;
    } catch (e) {
      box.replaceChildren(el('pre', {}, String(e)));
    }
  }
  box.dataset.xid = xid; // only now: what the box shows is this transaction
  markSelected();
}

/** A timeline as a mermaid sequence diagram: messages as arrows (answers dashed), log records as notes. */
function sequence(tx) {
  const alias = new Map();
  const id = name => { if (!alias.has(name)) alias.set(name, 'N' + alias.size); return alias.get(name); };
  // the coordinators first, then the participants in the order they appear
  for (const e of tx.timeline) if (e.from && e.from.startsWith('coordinator')) id(e.from);
  for (const e of tx.timeline) { if (e.from) id(e.from); if (e.to) id(e.to); }
  const clean = s => String(s).replace(/[;#\n\r]/g, ' ').replace(/[<>]/g, '').replace(/-->>|->>|--x|-x/g, '→');
  const lines = ['sequenceDiagram'];
  for (const [name, a] of alias) lines.push(`participant ${a} as ${clean(name)}`);
  for (const e of tx.timeline) {
    const detail = e.detail ? ` (${clean(e.detail).slice(0, 70)})` : '';
    const label = `${e.atMs} ms ${clean(e.what)}${detail}`;
    if (e.type === 'message' && e.from && e.to) {
      const answer = !e.from.startsWith('coordinator');
      lines.push(`${id(e.from)}${answer ? '-->>' : '->>'}${id(e.to)}: ${label}`);
    } else {
      lines.push(`Note over ${id(e.from || tx.coordinator)}: ${label}`);
    }
  }
  return lines.join('\n');
}

$('#follow').addEventListener('click', e => {
  e.preventDefault();
  panes.left.follow = panes.right.follow = true;
  panes.left.xid = panes.right.xid = null;
  if (snapshot) renderTransactions();
});

$('#order-form').addEventListener('submit', async e => {
  e.preventDefault();
  const f = new FormData(e.target);
  const order = { customerId: f.get('customerId'), sku: f.get('sku'), quantity: Number(f.get('quantity')), protocol: f.get('protocol') };
  $('#order-result').textContent = 'placing…';
  const answer = await fetch('/console/api/orders', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order) });
  const body = await answer.json().catch(() => ({}));
  $('#order-result').textContent = `${answer.status} ${body.outcome || body.title || ''} ${body.xid || ''} ${body.reason || body.detail || ''}`;
});

// ---- in doubt ------------------------------------------------------------------------------------------------
function renderInDoubt() {
  const rows = [];
  for (const p of snapshot.inDoubt) {
    if (p.error) rows.push(el('tr', {}, el('td', {}, p.participant), el('td', { colspan: 5, class: 'note' }, 'not answering: ' + p.error)));
    for (const b of p.branches) {
      rows.push(el('tr', {}, el('td', {}, p.participant), el('td', {}, b.xid), el('td', {}, b.state),
        el('td', { class: 'doubt-clock', 'data-ms': b.inDoubtForMs ?? 0 }, ''), el('td', {}, b.coordinator || ''), el('td', {}, b.epoch)));
    }
  }
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: 6, class: 'note' }, 'no branch in doubt')));
  $('#in-doubt tbody').replaceChildren(...rows);
  tickDoubtClocks();
}

function tickDoubtClocks() {
  const since = Date.now() - snapshotReceivedAt;
  for (const td of document.querySelectorAll('.doubt-clock')) {
    td.textContent = ((Number(td.dataset.ms) + since) / 1000).toFixed(0) + ' s';
  }
}
setInterval(tickDoubtClocks, 1000); // local clock only: no request

// ---- replication ---------------------------------------------------------------------------------------------
function renderReplication() {
  const master = masterView();
  $('#replication-summary').textContent = !snapshot.replicas.length ? 'no replicas in this cluster'
    : master ? `master ${master.node}, epoch ${master.epoch}, mode ${master.settings.mode}`
      + (master.settings.mode === 'SYNC' ? ` (${master.settings.syncFailure})` : '') + (master.semiSyncDegraded ? ' · ' + master.semiSyncDegraded : '')
      : 'no master answers';
  $('#replication tbody').replaceChildren(...snapshot.replicas.map(r => {
    if (r.down) return el('tr', {}, el('td', {}, r.node), el('td', { colspan: 7, class: 'note' }, 'down: ' + r.error));
    const seen = master && master.peers ? master.peers.find(p => p.node === r.node) : null;
    return el('tr', {}, el('td', {}, r.node), el('td', {}, r.role), el('td', {}, r.epoch), el('td', {}, r.appliedIndex),
      el('td', {}, r.lagEntries ?? 'unknown'), el('td', {}, r.lagMs ?? 'unknown'),
      el('td', {}, r.role === 'MASTER' ? '' : seen ? `${seen.sync || ''} ${seen.syncReason || ''}` : ''),
      el('td', { class: 'reason' }, r.writes || ''));
  }));
}

// ---- the quorum ring -----------------------------------------------------------------------------------------
const PALETTE = ['#1e88e5', '#43a047', '#fb8c00', '#8e24aa', '#e53935', '#00897b', '#6d4c41'];
const angleOf = hex => parseInt(hex.slice(0, 8), 16) / 4294967296 * 2 * Math.PI;
const point = (a, r) => [Math.sin(a) * r, -Math.cos(a) * r];

$('#ring-form').addEventListener('submit', async e => {
  e.preventDefault();
  const key = new FormData(e.target).get('key');
  const answer = await fetch('/console/api/ring?key=' + encodeURIComponent(key));
  const ring = await answer.json();
  if (!answer.ok) { $('#ring-info').textContent = ring.detail || answer.status; return; }
  drawRing(ring);
});

function drawRing(ring) {
  const svg = $('#ring');
  const ns = 'http://www.w3.org/2000/svg';
  const color = node => PALETTE[ring.nodes.indexOf(node) % PALETTE.length];
  const parts = [];
  const tokens = [...ring.tokens].sort((a, b) => (a.position < b.position ? -1 : 1));
  tokens.forEach((t, i) => {
    // a token owns the arc from the token before it up to itself
    const from = angleOf(tokens[(i + tokens.length - 1) % tokens.length].position);
    let to = angleOf(t.position);
    if (to < from) to += 2 * Math.PI;
    const [x1, y1] = point(from, 90), [x2, y2] = point(to, 90);
    parts.push(`<path d="M${x1.toFixed(2)},${y1.toFixed(2)} A90,90 0 ${to - from > Math.PI ? 1 : 0},1 ${x2.toFixed(2)},${y2.toFixed(2)}" stroke="${color(t.node)}" stroke-width="14" fill="none"/>`);
  });
  let info = `N=${ring.n}, ${ring.virtualNodesPerNode} virtual nodes per replica. ` +
    ring.nodes.map(n => `<span style="color:${color(n)}">■</span> ${n} ${(ring.ownership[n] * 100).toFixed(1)}%`).join(' · ');
  if (ring.key) {
    const [kx, ky] = point(angleOf(ring.key.position), 72);
    parts.push(`<line x1="0" y1="0" x2="${kx.toFixed(2)}" y2="${ky.toFixed(2)}" stroke="#222" stroke-width="1.5"/><circle cx="${kx.toFixed(2)}" cy="${ky.toFixed(2)}" r="4" fill="#222"/>`);
    info += `<br>key <b>${escapeHtml(ring.key.key)}</b> at ${ring.key.position}<br>preference list: <b id="preference-list">${ring.key.preferenceList.join(' → ')}</b>` +
      `<br>stand-ins: ${ring.key.standIns.join(', ') || 'none'}`;
  }
  svg.innerHTML = parts.join('');
  svg.setAttribute('xmlns', ns);
  $('#ring-info').innerHTML = info;
}

$('#quorum-read').addEventListener('click', async () => {
  const f = new FormData($('#ring-form'));
  const r = f.get('r');
  const answer = await fetch('/console/api/quorum/' + encodeURIComponent(f.get('key')) + (r ? '?r=' + r : ''));
  const body = await answer.json().catch(() => ({}));
  const head = answer.status === 300 ? `300 Multiple Choices: ${body.siblings.length} siblings` : `${answer.status}`;
  $('#quorum-answer').textContent = head + '\n' + JSON.stringify(body, null, 2);
});

// ---- the audit -----------------------------------------------------------------------------------------------
$('#audit-run').addEventListener('click', async () => {
  $('#audit-verdict').textContent = 'auditing…';
  const answer = await fetch('/console/api/audit');
  const body = await answer.json().catch(() => ({}));
  $('#audit-verdict').textContent = answer.ok ? (body.consistent ? 'consistent' : 'NOT consistent') : (body.detail || answer.status);
  $('#audit-verdict').className = 'badge ' + (answer.ok && body.consistent ? 'up' : 'down');
  $('#audit').textContent = JSON.stringify(body, null, 2);
});

// ---- admin: token, faults, partitions, crash -----------------------------------------------------------------
function token() { return sessionStorage.getItem(TOKEN_KEY); }
function showTokenState() { $('#token-state').textContent = token() ? 'token set for this tab' : 'no token: buttons need one'; }
$('#token-save').addEventListener('click', () => {
  const value = $('#token').value.trim();
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  $('#token').value = '';
  showTokenState();
});
$('#token-forget').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); showTokenState(); });

async function admin(node, method, path, body) {
  if (!token()) {
    $('#admin-result').textContent = 'enter the admin token first (./dtx token admin; docker compose: dev-admin-token)';
    throw new Error('no token');
  }
  const answer = await fetch(`/admin/console/nodes/${encodeURIComponent(node)}/${path}`, {
    method, headers: { 'X-Admin-Token': token(), 'Content-Type': 'application/json', Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await answer.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : ''; } catch (e) { /* not JSON: shown as it is */ }
  $('#admin-result').textContent = `${method} ${node} /admin/${path}: ${answer.status} ${parsed.detail || parsed.title || ''}`;
  return { status: answer.status, body: parsed };
}

async function crash(node) {
  if (!confirm(`Crash ${node}? It halts at once (as kill -9); restart it with ./dtx start ${node} or docker compose start.`)) return;
  await admin(node, 'POST', 'crash');
}

function pickForFaults(node) {
  $('#fault-form [name=node]').value = node;
  loadPoints(node);
  $('#faults-section').scrollIntoView({ behavior: 'smooth' });
}

async function loadPoints(node) {
  if (!token()) return;
  const { status, body } = await admin(node, 'GET', 'faults/points');
  if (status === 200) $('#points').replaceChildren(...body.map(p => el('option', { value: p.name ?? p.point ?? p }, p.description ?? '')));
}

function fillNodeSelects() {
  const ids = snapshot.nodes.map(n => n.id);
  for (const select of document.querySelectorAll('.node-select')) {
    if (select.options.length === ids.length) continue;
    const value = select.value;
    select.replaceChildren(...ids.map(id => el('option', {}, id)));
    if (value) select.value = value;
  }
  const others = $('#partition-others');
  if (others.childElementCount !== ids.length) {
    others.replaceChildren(...ids.map(id => el('label', {}, el('input', { type: 'checkbox', value: id }), id, ' ')));
  }
}

$('#fault-form [name=node]').addEventListener('change', e => loadPoints(e.target.value));
$('#fault-form').addEventListener('submit', async e => {
  e.preventDefault();
  const f = new FormData(e.target);
  const rule = { point: f.get('point'), action: f.get('action') };
  for (const k of ['delayMs', 'times']) if (f.get(k)) rule[k] = Number(f.get(k));
  for (const k of ['scope', 'peer']) if (f.get(k)) rule[k] = f.get(k);
  const { body } = await admin(f.get('node'), 'POST', 'faults', rule);
  $('#faults').textContent = JSON.stringify(body, null, 2);
});
$('#faults-list').addEventListener('click', async () => {
  const { body } = await admin($('#fault-form [name=node]').value, 'GET', 'faults');
  $('#faults').textContent = JSON.stringify(body, null, 2);
});
$('#faults-clear').addEventListener('click', () => admin($('#fault-form [name=node]').value, 'DELETE', 'faults'));
$('#partition-form').addEventListener('submit', async e => {
  e.preventDefault();
  const node = new FormData(e.target).get('node');
  const nodes = [...document.querySelectorAll('#partition-others input:checked')].map(i => i.value).filter(n => n !== node);
  const { body } = await admin(node, 'PUT', 'partition', { nodes });
  $('#faults').textContent = JSON.stringify(body, null, 2);
});
$('#heal').addEventListener('click', async () => {
  for (const n of snapshot.nodes.filter(x => x.up)) await admin(n.id, 'DELETE', 'partition');
  $('#admin-result').textContent = 'healed every node that is up';
});

// ---- events --------------------------------------------------------------------------------------------------
function addEvent(ev) {
  const list = $('#events');
  const details = ev.details ? Object.entries(ev.details).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ') : '';
  list.prepend(el('li', { 'data-type': ev.type }, `${time(ev.at)} ${ev.type} ${ev.node} #${ev.incarnation} ${details}`));
  while (list.childElementCount > 100) list.lastElementChild.remove();
}

function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

showTokenState();
connect();
// /console/#key=cart opens with that key placed on the ring
const opening = new URLSearchParams(location.hash.slice(1));
if (opening.get('key')) {
  $('#ring-form [name=key]').value = opening.get('key');
  $('#ring-form').requestSubmit();
}
