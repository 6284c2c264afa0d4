// End to end in real headless Chromium (playwright-core + Debian's chromium): for each simulator
// scenario, fill the playground form, check the live preview and the inline validation errors,
// send, wait until the timeline reaches the scenario's phase, and save a screenshot under
// test-output/playground/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startPlayground } from '../../www/server.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const OUT = path.join(ROOT, 'test-output', 'playground');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const TIMEOUT = 15000;

// Each scenario also exercises a different request variant of the form.
const CASES = [
  { scenario: 'success', variant: 'user', apiVersion: 'v1.0', phase: 'completed', expectText: 'GracefulTransferCompleted' },
  { scenario: 'successAppTransferred', variant: 'phone', apiVersion: 'beta', phase: 'completed', expectText: 'AppTransferred' },
  { scenario: 'successResultInfo', variant: 'applicationInstance', apiVersion: 'v1.0', phase: 'completed', expectText: '7015' },
  { scenario: 'failure', variant: 'consultative', apiVersion: 'v1.0', phase: 'failed', expectText: '500/7700' },
  { scenario: 'duplicated', variant: 'groupCall', apiVersion: 'v1.0', phase: 'completed', expectText: 'redelivered' },
  { scenario: 'outOfOrder', variant: 'user', apiVersion: 'beta-2018', phase: 'completed', expectText: 'AppTransferred' },
  { scenario: 'slowTarget', variant: 'voicemail', apiVersion: 'v1.0', phase: 'completed', expectText: 'transferAccepted' },
  { scenario: 'throttled', variant: 'user', apiVersion: 'v1.0', phase: 'completed', expectText: 'HTTP 429' },
  { scenario: 'stalled', variant: 'user', apiVersion: 'v1.0', phase: 'stalled', expectText: 'transferring' },
];

let playground;
let browser;

async function openPage(width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // Chromium logs every non-2xx fetch; the throttled scenario's 429 is expected.
  page.on('console', (m) => m.type() === 'error' && !/status of 429/.test(m.text()) && problems.push(m.text()));
  await page.goto(playground.url);
  await page.waitForSelector('body[data-ready=true]', { timeout: TIMEOUT });
  return { page, problems };
}

const preview = (page) => page.textContent('#preview');

async function fillVariant(page, c, callId) {
  await page.fill('#callId', callId);
  await page.selectOption('#apiVersion', c.apiVersion);
  await page.selectOption('#scenario', c.scenario);
  switch (c.variant) {
    case 'phone': {
      await page.selectOption('#targetKind', 'phone');
      // A number that is not E.164 is flagged inline while typing, and the request cannot be sent.
      await page.fill('#targetId', '555 0100');
      assert.match(await page.textContent('#targetId-error'), /is not an E\.164 phone number/);
      assert.equal(await page.getAttribute('#targetId', 'aria-invalid'), 'true');
      assert.equal(await page.isDisabled('#send'), true);
      assert.match(await preview(page), /not sendable/);
      await page.fill('#targetId', '+12345678901');
      assert.equal(await page.textContent('#targetId-error'), '');
      assert.match(await preview(page), /"phone": \{\s+"@odata.type": "#microsoft.graph.identity",\s+"id": "\+12345678901"/);
      break;
    }
    case 'applicationInstance':
      await page.selectOption('#targetKind', 'applicationInstance');
      await page.fill('#displayName', 'Reception');
      assert.match(await preview(page), /"applicationInstance": \{\s+"id": "98da8a1a-1b87-452c-a713-65d3f10b5555",\s+"displayName": "Reception"/);
      break;
    case 'consultative':
      await page.check('#consultative');
      await page.fill('#replacesCallId', ' ');
      assert.match(await page.textContent('#replacesCallId-error'), /transferTarget\.replacesCallId: must not be empty/);
      await page.fill('#replacesCallId', 'e5d39592-99bd-4db8-bca8-30fb894ec51d');
      assert.match(await preview(page), /"replacesCallId": "e5d39592-99bd-4db8-bca8-30fb894ec51d"/);
      break;
    case 'groupCall':
      await page.check('#groupCall');
      await page.fill('#transfereeParticipantId', '');
      assert.match(await page.textContent('#transfereeParticipantId-error'), /transferee\.participantId/);
      await page.fill('#transfereeParticipantId', '909c6581-5130-43e9-88f3-fcb3582cde37');
      assert.match(await preview(page), /"transferee": \{\s+"identity": \{\s+"user": \{\s+"id": "751f6800-3180-414d-bd94-333364659951"/);
      break;
    case 'voicemail':
      await page.selectOption('#endpointType', 'voicemail');
      assert.match(await preview(page), /"endpointType": "voicemail"/);
      break;
    default:
      break;
  }
  if (c.apiVersion === 'beta-2018') {
    await page.fill('#operationContext', 'playground');
    assert.match(await preview(page), /"target": \{/);
    assert.match(await preview(page), /"operationContext": "playground"/);
  }
  // The preview shows the exact URL of the chosen dialect and scenario.
  const pathPart = c.apiVersion === 'beta-2018' ? `/beta/app/calls/${callId}/transfer` : `/${c.apiVersion}/communications/calls/${callId}/transfer`;
  assert.ok((await preview(page)).startsWith(`POST ${playground.url}sim/${c.scenario}${pathPart.slice(1) ? pathPart : ''}`), await preview(page));
  assert.match(await preview(page), /content-type: application\/json/);
  assert.match(await preview(page), /client-request-id: [0-9a-f-]{36}/);
}

async function waitForPhase(page, callId, phase) {
  await page.waitForSelector(`.transfer[data-call-id="${callId}"][data-phase="${phase}"]`, { timeout: TIMEOUT });
}

describe('playground in Chromium', () => {
  before(async () => {
    await mkdir(OUT, { recursive: true });
    playground = await startPlayground({ port: 0, stepMs: 150 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    await playground?.close();
  });

  for (const c of CASES) {
    test(`scenario ${c.scenario} (${c.variant}, ${c.apiVersion}) reaches "${c.phase}"`, async () => {
      const { page, problems } = await openPage();
      const callId = `e2e-${c.scenario}`;
      await fillVariant(page, c, callId);
      await page.click('#send');
      await waitForPhase(page, callId, c.phase);
      const cardSel = `.transfer[data-call-id="${callId}"]`;
      // The tracker's phase is spelled out next to its colour, and its transitions are listed.
      assert.match(await page.textContent(`${cardSel} .phase-text`), new RegExp(c.phase, 'i'));
      assert.match(await page.textContent(cardSel), /phase requested → transferring|phase requested → accepted/);
      assert.match(await page.textContent(cardSel), new RegExp(`phase \\w+ → ${c.phase}`));
      await page.waitForFunction(([sel, text]) => document.querySelector(sel)?.textContent.includes(text), [cardSel, c.expectText], { timeout: TIMEOUT });
      if (c.scenario === 'throttled') assert.match(await page.textContent(`${cardSel} .http`), /^HTTP 202 after 2 attempts/);
      if (c.scenario === 'duplicated') {
        await page.waitForFunction((sel) => /duplicate/.test(document.querySelector(`${sel} .meta`).dataset.counts ?? ''), cardSel, { timeout: TIMEOUT });
        assert.match(await page.textContent(cardSel), /redelivered: same message id\) · the tracker ignored it \(duplicate\)/);
      }
      if (c.scenario === 'stalled') {
        // Stays there: nothing else arrives.
        await page.waitForTimeout(400);
        assert.equal(await page.getAttribute(cardSel, 'data-phase'), c.phase);
      }
      // Raw JSON is one click away.
      await page.click(`${cardSel} .event.notification details summary`);
      assert.match(await page.textContent(`${cardSel} .event.notification details pre`), /"value": \[/);
      await page.screenshot({ path: path.join(OUT, `${c.scenario}.png`), fullPage: true });
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('several transfers at once each reach their own phase', async () => {
    const { page, problems } = await openPage();
    const plan = [['multi-a', 'success', 'completed'], ['multi-b', 'failure', 'failed'], ['multi-c', 'slowTarget', 'completed']];
    for (const [callId, scenario] of plan) {
      await page.fill('#callId', callId);
      await page.selectOption('#scenario', scenario);
      await page.click('#send');
    }
    for (const [callId, , phase] of plan) await waitForPhase(page, callId, phase);
    assert.equal(await page.locator('.transfer').count() >= 3, true);
    await page.screenshot({ path: path.join(OUT, 'several-at-once.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('at a phone width (375 px) nothing overflows sideways and a transfer completes', async () => {
    const { page, problems } = await openPage(375);
    await page.fill('#callId', 'e2e-phone');
    await page.click('#send');
    await waitForPhase(page, 'e2e-phone', 'completed');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= 375, `the page is ${overflow} px wide`);
    await page.screenshot({ path: path.join(OUT, 'phone-375.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('callback authentication end to end: the sample bot verifies good tokens and refuses a wrong audience', async () => {
    const { page, problems } = await openPage();
    try {
      await page.click('#settings summary');
      await page.selectOption('#tokenFlavour', 'valid');
      await page.click('#useSampleBot');
      await page.waitForFunction(() => document.getElementById('settings-status').textContent === 'Saved.', null, { timeout: TIMEOUT });
      await page.fill('#callId', 'e2e-bot-ok');
      await page.click('#send');
      await waitForPhase(page, 'e2e-bot-ok', 'completed');
      await page.waitForFunction(() => document.querySelector('.transfer[data-call-id="e2e-bot-ok"]')?.textContent.includes('sample bot: token verified'), null, { timeout: TIMEOUT });
      await page.selectOption('#tokenFlavour', 'wrongAudience');
      await page.click('#saveSettings');
      await page.fill('#callId', 'e2e-bot-refused');
      await page.click('#send');
      await page.waitForFunction(() => document.querySelector('.transfer[data-call-id="e2e-bot-refused"]')?.textContent.includes('sample bot refused it: wrongAudience'), null, { timeout: TIMEOUT });
      await page.screenshot({ path: path.join(OUT, 'sample-bot.png'), fullPage: true });
    } finally {
      await page.evaluate(() => fetch('/simulator/config', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ callbackUrl: null, token: 'valid' }) }).then((r) => r.text()));
    }
    assert.deepEqual(problems.filter((p) => !/status of 40[13]/.test(p)), []);
    await page.close();
  });

  test('keyboard only: labelled controls, Tab reaches Send, Enter sends', async () => {
    const { page, problems } = await openPage();
    // Every visible form control has a label.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.offsetParent !== null && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
      .map((el) => el.id));
    assert.deepEqual(unlabelled, []);
    await page.fill('#callId', 'e2e-keyboard');
    await page.focus('#callId');
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'send');
    }
    assert.ok(reached, 'Tab reaches the Send button');
    await page.keyboard.press('Enter');
    await waitForPhase(page, 'e2e-keyboard', 'completed');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('copy as curl gives a command that the simulator accepts; copy as JS names the public API', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: playground.url.replace(/\/$/, '') });
    const page = await context.newPage();
    await page.goto(playground.url);
    await page.waitForSelector('body[data-ready=true]', { timeout: TIMEOUT });
    await page.fill('#callId', 'e2e-curl');
    await page.fill('#clientContext', "it's quoted");
    await page.click('#copyCurl');
    await page.waitForFunction(() => /copied|shown below/.test(document.getElementById('copied').textContent), null, { timeout: TIMEOUT });
    let curl = await page.evaluate(() => navigator.clipboard.readText().catch(() => ''));
    if (!curl) curl = await page.textContent('#curl');
    assert.match(curl, /^curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/sim\/success\/v1\.0\/communications\/calls\/e2e-curl\/transfer'/);
    // Run it (loopback only): the simulator answers 202.
    const { stdout } = await promisify(execFile)('bash', ['-c', `${curl} -s -o /dev/null -w '%{http_code}'`], { timeout: 10000 });
    assert.equal(stdout, '202');
    await page.click('#copyJs');
    const js = await page.textContent('#js');
    assert.match(js, /import \{ buildTransferRequest, sendTransfer \} from 'graph-call-transfer';/);
    assert.match(js, /"callId": "e2e-curl"/);
    await context.close();
  });
});
