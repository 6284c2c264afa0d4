// The playground page. No bundler: it imports the package's browser entry point and uses only its
// public exports: buildTransferRequest (preview and validation), sendTransfer (retries),
// parseNotifications and TransferTracker (the timeline).
import * as pkg from '/dist/browser.js';

const $ = (id) => document.getElementById(id);
const STALL_AFTER_MS = 3000;
const PHASE_TEXT = {
  requested: 'Requested: waiting for Graph',
  transferring: 'Transferring',
  accepted: 'Accepted by the target',
  completed: 'Completed: the call was handed over',
  failed: 'Failed: the call is back with the bot',
  stalled: 'Stalled: no progress',
};
const PHASE_ICON = { requested: '○', transferring: '→', accepted: '✓', completed: '✔', failed: '✖', stalled: '!' };

const tracker = new pkg.TransferTracker({ stallAfterMs: STALL_AFTER_MS });

// ---------------------------------------------------------------------------------------------
// The form -> buildTransferRequest options

const FIELDS = ['callId', 'targetKind', 'targetId', 'displayName', 'endpointType', 'consultative', 'replacesCallId',
  'groupCall', 'transfereeUserId', 'transfereeParticipantId', 'clientContext', 'apiVersion', 'operationContext',
  'sendRequestId', 'scenario', 'cloud', 'token'];

const TARGET_LABELS = {
  user: ['User id (Entra object id)', 'A GUID.'],
  phone: ['Phone number (E.164)', 'A "+" and 2 to 15 digits, such as +12345678901.'],
  applicationInstance: ['Application instance id', 'The object id of the resource account.'],
};
const TARGET_DEFAULTS = { user: '550fae72-d251-43ec-868c-373732c2704f', phone: '+12345678901', applicationInstance: '98da8a1a-1b87-452c-a713-65d3f10b5555' };

function destination() {
  return document.querySelector('input[name="destination"]:checked').value;
}

function simulatorBase() {
  return `${location.origin}/sim/${$('scenario').value}`;
}

/** The buildTransferRequest options of the form. */
function formOptions() {
  const kind = $('targetKind').value;
  const id = $('targetId').value.trim();
  const identity = {};
  if (kind === 'phone') identity.phone = { '@odata.type': '#microsoft.graph.identity', id };
  else {
    identity[kind] = { id };
    const name = $('displayName').value.trim();
    if (name) identity[kind].displayName = name;
  }
  const transferTarget = { identity };
  if ($('endpointType').value) transferTarget.endpointType = $('endpointType').value;
  if ($('consultative').checked) transferTarget.replacesCallId = $('replacesCallId').value.trim();
  const options = { callId: $('callId').value.trim(), transferTarget, apiVersion: $('apiVersion').value };
  if ($('groupCall').checked) {
    options.transferee = {
      identity: { user: { id: $('transfereeUserId').value.trim() } },
      participantId: $('transfereeParticipantId').value.trim(),
    };
  }
  const context = $('clientContext').value;
  if (context !== '') options.clientContext = context;
  if (options.apiVersion === 'beta-2018' && $('operationContext').value !== '') options.operationContext = $('operationContext').value;
  if (destination() === 'simulator') options.baseUrl = simulatorBase();
  else options.cloud = $('cloud').value;
  return options;
}

/** Which form field an error path points at. */
function fieldOf(path) {
  if (!path) return null;
  if (path === 'callId') return 'callId';
  if (/^(transferTarget|target)\.replacesCallId/.test(path)) return 'replacesCallId';
  if (/^(transferTarget|target)\.endpointType/.test(path)) return 'endpointType';
  if (/^(transferTarget|target)\.identity\.[^.]+\.displayName/.test(path)) return 'displayName';
  if (/^(transferTarget|target)/.test(path)) return 'targetId';
  if (path.startsWith('transferee.participantId')) return 'transfereeParticipantId';
  if (path.startsWith('transferee')) return 'transfereeUserId';
  if (path.startsWith('clientContext')) return 'clientContext';
  if (path.startsWith('operationContext')) return 'operationContext';
  if (path === 'apiVersion') return 'apiVersion';
  if (path === 'cloud') return 'cloud';
  return null;
}

let current = { request: null, error: null, options: null };
let requestIdForPreview = null;

function clearErrors() {
  for (const el of document.querySelectorAll('.error')) el.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  $('errors').textContent = '';
}

function showError(error) {
  const field = fieldOf(error.path);
  const text = error.path ? `${error.path}: ${error.reason ?? error.message}` : (error.reason ?? error.message);
  if (field && $(`${field}-error`)) {
    $(`${field}-error`).textContent = text;
    $(field).setAttribute('aria-invalid', 'true');
  }
  $('errors').textContent = `Not sendable: ${text}`;
}

function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function curlOf(request, token) {
  const lines = [`curl -X POST ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`  -H ${token ? shellQuote(`authorization: Bearer ${token}`) : '"authorization: Bearer $GRAPH_TOKEN"'}`);
  lines.push(`  --data-raw ${shellQuote(request.bodyText)}`);
  return lines.join(' \\\n');
}

function jsOf(options) {
  const shown = { ...options };
  if ($('sendRequestId').checked) shown.clientRequestId = true;
  const opts = JSON.stringify(shown, null, 2);
  return [
    "import { buildTransferRequest, sendTransfer } from 'graph-call-transfer';",
    '',
    `const request = buildTransferRequest(${opts});`,
    'const result = await sendTransfer(request, { token: process.env.GRAPH_TOKEN });',
    'console.log(result.status, result.clientRequestId);',
  ].join('\n');
}

function previewText(request) {
  const head = [`${request.method} ${request.url}`];
  for (const [name, value] of Object.entries(request.headers)) head.push(`${name}: ${value}`);
  head.push(`authorization: Bearer ${destination() === 'simulator' ? '(any: the simulator does not check it)' : '<your token>'}`);
  return `${head.join('\n')}\n\n${JSON.stringify(request.body, null, 2)}`;
}

/** Rebuilds the preview from the form; called on every input. */
function update() {
  const kind = $('targetKind').value;
  $('targetId-label').textContent = TARGET_LABELS[kind][0];
  $('targetId-hint').textContent = TARGET_LABELS[kind][1];
  $('displayName').disabled = kind === 'phone';
  $('replacesCallId-field').hidden = !$('consultative').checked;
  $('transferee-fields').hidden = !$('groupCall').checked;
  $('operationContext-field').hidden = $('apiVersion').value !== 'beta-2018';
  const sim = destination() === 'simulator';
  $('scenario-field').hidden = !sim;
  $('graph-fields').hidden = sim;
  clearErrors();
  const options = formOptions();
  if ($('sendRequestId').checked) {
    requestIdForPreview ??= crypto.randomUUID();
    options.clientRequestId = requestIdForPreview;
  }
  current = { request: null, error: null, options };
  try {
    current.request = pkg.buildTransferRequest(options);
  } catch (error) {
    current.error = error;
    showError(error);
  }
  $('send').disabled = !current.request;
  $('preview').textContent = current.request ? previewText(current.request) : `(not sendable: ${current.error.message})`;
  $('preview').classList.toggle('invalid', !current.request);
  const { clientRequestId: _omit, ...forJs } = options;
  $('curl').textContent = current.request ? curlOf(current.request, sim ? 'simulator' : '') : '';
  $('js').textContent = jsOf(forJs);
}

// ---------------------------------------------------------------------------------------------
// The timeline: one card per call id

const cards = new Map();

function card(callId, info = {}) {
  let c = cards.get(callId);
  if (!c) {
    const li = document.createElement('li');
    li.className = 'transfer';
    li.dataset.callId = callId;
    li.innerHTML = `
      <div class="transfer-head">
        <span class="phase" data-phase="requested"><span class="phase-icon" aria-hidden="true"></span><span class="phase-text"></span></span>
        <span class="call-id"></span>
      </div>
      <p class="meta"></p>
      <p class="http"></p>
      <ol class="events"></ol>`;
    li.querySelector('.call-id').textContent = `call ${callId}`;
    $('transfers').prepend(li);
    c = { li, callId, start: performance.now(), info: {}, events: li.querySelector('.events') };
    cards.set(callId, c);
    setPhase(c, 'requested');
  }
  Object.assign(c.info, info);
  const bits = [];
  if (c.info.apiVersion) bits.push(c.info.apiVersion);
  if (c.info.scenario) bits.push(`scenario ${c.info.scenario}`);
  if (c.info.destination === 'graph') bits.push('sent to Graph');
  c.li.querySelector('.meta').textContent = bits.join(' · ');
  return c;
}

function setPhase(c, phase) {
  const el = c.li.querySelector('.phase');
  el.dataset.phase = phase;
  el.querySelector('.phase-icon').textContent = PHASE_ICON[phase] ?? '?';
  el.querySelector('.phase-text').textContent = PHASE_TEXT[phase] ?? phase;
  c.li.dataset.phase = phase;
}

function applyTransitions(transitions) {
  for (const t of transitions) {
    const c = card(t.callId);
    setPhase(c, t.to);
    addLine(c, { label: `phase ${t.from} → ${t.to}`, kind: 'transition' });
  }
}

function addLine(c, { label, detail, raw, kind = '' }) {
  const li = document.createElement('li');
  li.className = `event ${kind}`;
  const secs = ((performance.now() - c.start) / 1000).toFixed(1);
  const time = document.createElement('span');
  time.className = 'time';
  time.textContent = `+${secs}s`;
  const text = document.createElement('span');
  text.className = 'label';
  text.textContent = label;
  li.append(time, text);
  if (detail) {
    const d = document.createElement('span');
    d.className = 'detail';
    d.textContent = detail;
    li.append(d);
  }
  if (raw) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'raw JSON';
    const pre = document.createElement('pre');
    pre.className = 'code';
    pre.textContent = raw;
    details.append(summary, pre);
    li.append(details);
  }
  c.events.append(li);
}

function describeResult(info) {
  if (!info) return '';
  const sub = info.subcode ?? info.subCode;
  return ` resultInfo ${info.code}${sub !== undefined && sub !== null ? `/${sub}` : ''}${info.message ? ` ${info.message}` : ''}`;
}

function onNotification(data) {
  const c = card(data.callId, { apiVersion: data.apiVersion, scenario: data.scenario });
  const raw = JSON.stringify(JSON.parse(data.bodyText), null, 2);
  const tags = data.redelivery ? ' (redelivered: same message id)' : '';
  let parsed;
  try {
    parsed = pkg.parseNotifications(data.bodyText);
  } catch (error) {
    addLine(c, { label: 'unparsable notification', detail: error.message, raw, kind: 'bad' });
    return;
  }
  // Feed the tracker first, so that each line can say what the tracker made of it.
  if (tracker.phase(data.callId) === null) applyTransitions(tracker.register(data.callId, { now: Date.now() }));
  const before = tracker.get(data.callId);
  const transitions = tracker.observe(parsed, { messageId: data.messageId, now: Date.now() });
  const after = tracker.get(data.callId);
  let verdict = '';
  if (before && after) {
    if (after.duplicates > before.duplicates) verdict = ' · the tracker ignored it (duplicate)';
    else if (after.late > before.late) verdict = ' · the tracker ignored it (late)';
    if (after.duplicates || after.late) c.li.querySelector('.meta').dataset.counts = `${after.duplicates} duplicate, ${after.late} late`;
  }
  for (const n of parsed.notifications) {
    const what = n.transfer ?? 'no transfer event';
    const detail = `${n.changeType ?? '?'} · state ${n.state ?? '—'}${n.terminationReason ? ` · ${n.terminationReason}` : ''}${describeResult(n.resultInfo)}${tags}${verdict}`;
    addLine(c, { label: what, detail, raw, kind: 'notification' });
  }
  for (const e of parsed.errors) addLine(c, { label: 'bad item', detail: e.message, kind: 'bad' });
  applyTransitions(transitions);
}

function onRequest(data) {
  const c = card(data.callId, { apiVersion: data.apiVersion, scenario: data.scenario, transferId: data.transferId });
  addLine(c, { label: `simulator answered HTTP ${data.status}`, detail: `attempt ${data.attempt}${data.responseText ? '' : ''}`, raw: data.responseText || undefined, kind: 'http' });
}

// ---------------------------------------------------------------------------------------------
// Sending

async function send(event) {
  event.preventDefault();
  update();
  if (!current.request) {
    const field = fieldOf(current.error?.path);
    if (field) $(field).focus();
    return;
  }
  const request = current.request;
  const sim = destination() === 'simulator';
  const token = sim ? 'simulator' : $('token').value.trim();
  if (!sim && !token) {
    $('errors').textContent = 'Paste a Graph token to send to Microsoft Graph.';
    $('token').focus();
    return;
  }
  const callId = current.options.callId;
  const c = card(callId, { apiVersion: current.options.apiVersion, scenario: sim ? $('scenario').value : undefined, destination: sim ? 'simulator' : 'graph' });
  c.start = performance.now();
  tracker.remove(callId);
  applyTransitions(tracker.register(callId, { clientContext: current.options.clientContext ?? null, now: Date.now() }));
  requestIdForPreview = null;
  $('sent').innerHTML = '';
  const link = document.createElement('a');
  link.href = '#timeline-heading';
  link.textContent = `Sent call ${callId}: follow it in the timeline`;
  $('sent').append(link);
  const http = c.li.querySelector('.http');
  http.textContent = 'Sending…';
  try {
    const result = await pkg.sendTransfer(request, { token, retry: { maxAttempts: 3 } });
    http.textContent = `HTTP ${result.status} after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}${result.operation ? ` · operation ${result.operation.id} ${result.operation.status}` : ''}`;
    http.dataset.ok = 'true';
  } catch (error) {
    http.dataset.ok = 'false';
    http.textContent = `Refused: ${error.status ? `HTTP ${error.status} ${error.code}: ` : ''}${error.message}`;
    tracker.remove(callId);
    setPhase(c, 'failed');
  }
  update();
}

// ---------------------------------------------------------------------------------------------
// Wiring

function connectStream() {
  const source = new EventSource('/simulator/events');
  source.addEventListener('open', () => { $('stream-state').textContent = 'Connected to the simulator.'; });
  source.addEventListener('error', () => { $('stream-state').textContent = 'Notification stream interrupted; reconnecting…'; });
  source.addEventListener('hello', (e) => {
    const { config } = JSON.parse(e.data);
    $('callbackUrl').value = config.callbackUrl ?? '';
    $('appId').value = config.appId;
    $('tokenFlavour').value = config.token;
  });
  source.addEventListener('request', (e) => onRequest(JSON.parse(e.data)));
  source.addEventListener('notification', (e) => onNotification(JSON.parse(e.data)));
  source.addEventListener('bot', (e) => {
    const d = JSON.parse(e.data);
    const callId = d.callIds?.[0] ?? [...cards.values()].find((c) => c.info.transferId === d.transferId)?.callId;
    if (!callId) return;
    const c = card(callId);
    const label = d.verified ? 'sample bot: token verified' : `sample bot refused it: ${d.kind}`;
    const detail = d.verified ? `iss ${d.claims.iss} · tid ${d.claims.tid} · answered ${d.status}` : `${d.reason ?? ''} · answered ${d.status}`;
    addLine(c, { label, detail, kind: d.verified ? 'http' : 'bad' });
  });
  source.addEventListener('callback', (e) => {
    const d = JSON.parse(e.data);
    const c = card(d.callId);
    addLine(c, { label: `callback POST ${d.url}`, detail: d.error ? `failed: ${d.error}` : `HTTP ${d.status}`, kind: d.error ? 'bad' : 'http' });
  });
}

async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    $('copied').textContent = `${what} copied to the clipboard.`;
  } catch {
    $('copied').textContent = `${what} is shown below under "curl and JavaScript"; the clipboard is not available here.`;
    document.querySelector('details').open = true;
  }
}

async function saveSettings() {
  const body = { callbackUrl: $('callbackUrl').value.trim() || null, appId: $('appId').value.trim(), token: $('tokenFlavour').value };
  const response = await fetch('/simulator/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const result = await response.json();
  $('settings-status').textContent = response.ok ? 'Saved.' : `Not saved: ${result.error.message}`;
}

function init() {
  $('stallSeconds').textContent = String(STALL_AFTER_MS / 1000);
  const form = $('form');
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', send);
  $('targetKind').addEventListener('change', () => {
    $('targetId').value = TARGET_DEFAULTS[$('targetKind').value];
    update();
  });
  $('newCallId').addEventListener('click', () => {
    $('callId').value = crypto.randomUUID();
    update();
  });
  $('copyCurl').addEventListener('click', () => current.request && copy(curlOf(current.request, destination() === 'simulator' ? 'simulator' : ''), 'The curl command'));
  $('copyJs').addEventListener('click', () => copy($('js').textContent, 'The JavaScript'));
  $('saveSettings').addEventListener('click', saveSettings);
  $('useSampleBot').addEventListener('click', () => {
    $('callbackUrl').value = `${location.origin}/bot/callback`;
    saveSettings();
  });
  setInterval(() => applyTransitions(tracker.tick(Date.now())), 500);
  connectStream();
  update();
  $('status').textContent = 'Package loaded (wasm ready).';
  document.body.dataset.ready = 'true';
}

init();
