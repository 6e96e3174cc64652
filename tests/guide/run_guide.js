// Runs the partner guide's own JavaScript (guide.js: generateHeaders, createEsimBooking,
// handleBookingResponse, verbatim but for the base URL) against a real tripsimd.
// Usage: node run_guide.js path/to/tripsimd
'use strict';
const assert = require('assert');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const vm = require('vm');

async function startServer(binary) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tripsim-guide-'));
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0'], {
    cwd: dir, stdio: ['ignore', 'pipe', fs.openSync(path.join(dir, 'stderr.log'), 'w')],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const info = {};
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tripsimd did not start')), 20000);
    lines.on('line', (line) => {
      const event = JSON.parse(line);
      if (event.event === 'demo_partner') Object.assign(info, event);
      if (event.event === 'listening') {
        info.url = event.url;
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, dir, info };
}

async function main() {
  const { child, dir, info } = await startServer(path.resolve(process.argv[2]));
  try {
    process.env.HUBBY_API_KEY = info.api_key;
    process.env.HUBBY_API_SECRET = info.api_secret;
    process.env.TRIPSIM_BASE_URL = info.url;
    const records = [];
    const context = vm.createContext({
      require, process, fetch, console, Date, JSON,
      updateBookingRecord: async (record) => { records.push(record); },
    });
    vm.runInContext(fs.readFileSync(path.join(__dirname, 'guide.js'), 'utf8') +
                    '\n;globalThis.guide = { createEsimBooking, handleBookingResponse };', context);
    const departure = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
    const response = await context.guide.createEsimBooking({
      bookingId: 'GUIDE-' + Date.now(), departureDate: departure,
      customerEmail: 'traveller@example.com', firstName: 'Ada', lastName: 'Lovelace',
      countryCode: 'FR',
    });
    assert.strictEqual(response.success, true, JSON.stringify(response));
    assert.match(response.data.id, /^bk_/);
    assert.strictEqual(response.data.promo_codes.length, 1);
    assert.match(response.data.promo_codes[0].promo_code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await context.guide.handleBookingResponse(response);
    assert.strictEqual(records.length, 1);
    assert.strictEqual(records[0].hubbyBookingId, response.data.id);
    assert.deepStrictEqual(records[0].promocodes, response.data.promo_codes);
    // The guide's error path: a failing booking answers success: false with an error object.
    const failed = await context.guide.createEsimBooking({
      bookingId: 'x', departureDate: 'soon', customerEmail: 'nope', countryCode: 'ZZ',
    });
    assert.strictEqual(failed.success, false);
    assert.strictEqual(failed.error.code, 400);
    console.log('guide.js: booking', response.data.id, 'with code', response.data.promo_codes[0].promo_code);
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
