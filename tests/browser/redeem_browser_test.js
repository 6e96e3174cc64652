// Browser test of the traveller's redeem page: headless Debian chromium (driven by
// playwright-core) types a real booking's code on the entry page, lands on its deep link,
// presses "Get my eSIM", and the QR code then shown decodes (zbarimg) to exactly the profile's
// activation code.
// Usage: node redeem_browser_test.js path/to/tripsimd
'use strict';
const assert = require('assert');
const { spawn, execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { chromium } = require('playwright-core');

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripsim-browser-'));
  const server = spawn(path.resolve(process.argv[2]), ['serve', '--listen', '127.0.0.1:0'],
                       { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
  const info = {};
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tripsimd did not start')), 20000);
    readline.createInterface({ input: server.stdout }).on('line', (line) => {
      Object.assign(info, JSON.parse(line));
      if (info.url) { clearTimeout(timer); resolve(); }
    });
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const ts = Date.now().toString();
    const sig = crypto.createHmac('sha256', info.api_secret).update(ts + 'POST/api/bookings').digest('hex');
    const departure = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
    const created = await (await fetch(`${info.url}/api/bookings`, {
      method: 'POST',
      headers: { 'x-api-key': info.api_key, 'x-timestamp': ts, 'x-signature': sig,
                 'Content-Type': 'application/json' },
      body: JSON.stringify({ booking_id: 'BROWSER-1', departure_date: departure,
                             email: 'ada@example.com', first_name: 'Ada',
                             package_specifications: [{ destination: 'IT' }],
                             communication_options: { should_send_message: false } }),
    })).json();
    assert.strictEqual(created.success, true, JSON.stringify(created));
    const link = created.data.promo_codes[0].deep_link_url;

    // The traveller types the code as the email shows it (with spaces, in lower case) on the
    // entry page, and lands on the code's deep link.
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.goto(`${info.url}/redeem`);
    const typed = created.data.promo_codes[0].promo_code.replaceAll('-', ' ').toLowerCase();
    await page.locator('input[name="code"]').fill(typed);
    await Promise.all([page.waitForURL(link), page.getByRole('button', { name: 'Continue' }).click()]);
    await page.getByRole('button', { name: 'Get my eSIM' }).click();
    const qr = page.locator('img[alt^="QR code of your eSIM"]');
    await qr.waitFor({ timeout: 10000 });
    const activation = (await page.locator('code').first().textContent()).trim();
    assert.match(activation, /^LPA:1\$[^$]+\$[^$]+/);
    const shot = path.join(dir, 'qr.png');
    await qr.screenshot({ path: shot });
    const decoded = execFileSync('/usr/bin/zbarimg', ['--raw', '-q', shot]).toString().trim();
    assert.strictEqual(decoded, activation);
    // The API answers the same profile.
    const api = await (await fetch(`${info.url}/api/promo-codes/${created.data.promo_codes[0].promo_code}/redeem`,
                                   { method: 'POST' })).json();
    assert.strictEqual(api.data.activation_code, activation);
    console.log('redeem page: pressed the button, QR decodes to', activation);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
