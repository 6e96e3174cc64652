// Browser test of the dashboard: headless Debian chromium (driven by playwright-core) gets the
// login form (and no data) without a token, is refused with a wrong one, logs in with an
// operator token, sees exactly the figures GET /api/admin/stats answers (and the email that the
// mail server refused, with its answer), switches the partner filter, and is readable on a
// phone-sized viewport. Screenshots go to the given folder.
// Usage: node dashboard_browser_test.js path/to/tripsimd [screenshot folder]
'use strict';
const assert = require('assert');
const { spawn, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { chromium } = require('playwright-core');

const percent = (r) => (r === null ? '–' : (r * 100).toFixed(1) + '%');

async function main() {
  const tripsimd = path.resolve(process.argv[2]);
  const shots = path.resolve(process.argv[3] || '.');
  fs.mkdirSync(shots, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripsim-dashboard-'));
  // A mail server that refuses every message (550), so that one email fails for good.
  const smtpPort = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const smtp = spawn('/usr/bin/python3', [path.join(__dirname, '..', 'e2e', 'smtp_server.py'),
                     '--port', String(smtpPort), '--maildir', path.join(dir, 'smtp'), '--reject', '550'],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the SMTP server did not start')), 20000);
    readline.createInterface({ input: smtp.stdout }).on('line', (line) => {
      if (line === 'ready') { clearTimeout(timer); resolve(); }
    });
  });
  const server = spawn(tripsimd, ['serve', '--listen', '127.0.0.1:0', '--mail', `smtp://127.0.0.1:${smtpPort}`],
                       { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  const info = {};
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tripsimd did not start')), 20000);
    readline.createInterface({ input: server.stdout }).on('line', (line) => {
      Object.assign(info, JSON.parse(line));
      if (info.url) { clearTimeout(timer); resolve(); }
    });
  });
  const admin = (...args) => JSON.parse(execFileSync(tripsimd, args, { cwd: dir }).toString());
  const other = admin('partner', 'create', '--name', 'Other OTA');
  const book = async (creds, body) => {
    const ts = Date.now().toString();
    const sig = crypto.createHmac('sha256', creds.api_secret).update(ts + 'POST/api/bookings').digest('hex');
    const res = await fetch(`${info.url}/api/bookings`, {
      method: 'POST',
      headers: { 'x-api-key': creds.api_key, 'x-timestamp': ts, 'x-signature': sig,
                 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.status;
  };
  const departure = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  const booking = (ref) => ({ booking_id: ref, departure_date: departure, first_name: 'Ada',
                              package_specifications: [{ destination: 'ES' }],
                              communication_options: { should_send_message: false } });
  assert.strictEqual(await book(info, booking('DASH-1')), 201);
  assert.strictEqual(await book(info, booking('DASH-2')), 201);
  assert.strictEqual(await book(info, { booking_id: 'DASH-BAD' }), 400);
  assert.strictEqual(await book(other, booking('OTHER-1')), 201);
  assert.strictEqual(await book(info, { ...booking('DASH-MAIL'), email: 'ada@example.com',
    communication_options: { should_send_message: true, channels: ['EMAIL'] } }), 201);
  const token = admin('admin-token', 'create').token;
  const stats = async (query = '') => (await fetch(`${info.url}/api/admin/stats${query}`, {
    headers: { Authorization: `Bearer ${token}` } })).json();
  for (let i = 0; i < 200 && (await stats()).failed_messages.length === 0; ++i) {
    await new Promise((r) => setTimeout(r, 100));
  }

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const offline = [];
    page.on('request', (r) => { if (!r.url().startsWith(info.url)) offline.push(r.url()); });
    await page.goto(`${info.url}/dashboard`);
    await page.locator('#login').waitFor({ state: 'visible' });
    assert.strictEqual(await page.locator('#board').isVisible(), false, 'no data before login');

    await page.fill('#token', 'tsk_wrong');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error').filter({ hasText: 'not accepted' }).waitFor();

    await page.fill('#token', token);
    await page.click('#login-form button[type=submit]');
    await page.locator('#board').waitFor({ state: 'visible' });
    const all = await stats();
    const t = all.totals;
    await page.locator('#success-rate').filter({ hasText: percent(t.bookings.success_rate) }).waitFor();
    assert.strictEqual(t.bookings.attempted, 5);
    assert.strictEqual(await page.textContent('#success-detail'),
                       `${t.bookings.accepted} accepted of ${t.bookings.attempted} attempted`);
    assert.strictEqual(await page.textContent('#activation-rate'), percent(t.promo_codes.activation_rate));
    assert.strictEqual(await page.textContent('#delivery-rate'), `${t.messages.sent} sent`);
    assert.strictEqual(await page.textContent('#reasons tr[data-key="validation"] td:nth-child(2)'),
                       String(t.bookings.failures_by_reason.validation));
    assert.strictEqual(await page.locator('#partners tbody tr').count(), all.partners.length);
    for (const p of all.partners) {
      const cells = await page.locator(`#partners tr[data-key="${p.partner_id}"] td`).allTextContents();
      assert.deepStrictEqual(cells.slice(0, 5), [p.name, String(p.bookings.attempted),
        String(p.bookings.accepted), String(p.bookings.failed), percent(p.bookings.success_rate)]);
    }
    assert.strictEqual(await page.locator('canvas#chart-bookings').isVisible(), true);
    // The refused email, with the mail server's answer.
    assert.strictEqual(all.failed_messages.length, 1);
    const failed = all.failed_messages[0];
    const failedCells = await page.locator(`#failed tr[data-key="${failed.message_id}"] td`).allTextContents();
    assert.deepStrictEqual(failedCells.slice(1, 5), ['Demo Travel (staging)', failed.booking_id,
                                                     'ada@example.com', '1']);
    assert.ok(failedCells[5].includes('550'), failedCells[5]);
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });

    // The partner filter.
    await page.selectOption('#partner', other.partner_id);
    const one = await stats(`?partner=${other.partner_id}`);
    await page.locator('#success-detail')
        .filter({ hasText: `${one.totals.bookings.accepted} accepted of ${one.totals.bookings.attempted} attempted` })
        .waitFor();
    assert.strictEqual(await page.locator('#partners tbody tr').count(), 1);
    assert.strictEqual(await page.textContent('#success-rate'), percent(one.totals.bookings.success_rate));
    await page.screenshot({ path: path.join(shots, 'dashboard-partner.png'), fullPage: true });

    // A phone: everything fits the width (wide tables scroll inside their own box).
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${info.url}/dashboard`);
    await phone.fill('#token', token);
    await phone.click('#login-form button[type=submit]');
    await phone.locator('#success-rate').filter({ hasText: percent(t.bookings.success_rate) }).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
    await phone.screenshot({ path: path.join(shots, 'dashboard-phone.png'), fullPage: true });
    assert.deepStrictEqual(offline, [], 'the dashboard loads nothing from elsewhere');
    console.log('dashboard: login, figures equal to the API, partner filter, phone layout; screenshots in', shots);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    smtp.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
