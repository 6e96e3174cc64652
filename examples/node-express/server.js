// The partner guide's example integration flow as a runnable Express service. The guide's
// three functions (generateHeaders, createEsimBooking, handleBookingResponse) are not copied
// here: they are loaded from tests/guide/guide.js, where they are kept verbatim.
//
// It also receives tripsim's webhooks at /tripsim-webhooks, verifies each one with the webhook
// secret (printed by `tripsimd partner create|update --webhook-url`) and records the event on
// the travel booking, which GET /bookings/:id shows.
//
//   TRIPSIM_BASE_URL=http://127.0.0.1:8080 HUBBY_API_KEY=… HUBBY_API_SECRET=… \
//     TRIPSIM_WEBHOOK_SECRET=… PORT=3000 node server.js
//   curl -X POST localhost:3000/bookings -H 'Content-Type: application/json' \
//     -d '{"departureDate":"2026-12-15","customerEmail":"ada@example.com","firstName":"Ada","lastName":"Lovelace","destination":"IT"}'
//   curl localhost:3000/bookings/TRIP-…
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const express = require('express');

// The OTA's own booking store (here, in memory).
const travelBookings = new Map();

async function createTravelBooking(body) {
  const id = body.id || `TRIP-${crypto.randomUUID()}`;
  const booking = { id, departureDate: body.departureDate, customerEmail: body.customerEmail,
                    firstName: body.firstName, lastName: body.lastName,
                    destination: body.destination };
  travelBookings.set(id, booking);
  return booking;
}

async function updateBookingRecord({ hubbyBookingId, promocodes }) {
  const last = [...travelBookings.values()].pop();
  last.esimBookingId = hubbyBookingId;
  last.promoCodes = promocodes.map((p) => p.promo_code);
}

// Load the guide's functions into one context with what they need.
const context = vm.createContext({ require, process, fetch, console, updateBookingRecord });
vm.runInContext(fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'guide', 'guide.js'), 'utf8'),
                context);
const { createEsimBooking, handleBookingResponse } = vm.runInContext(
    '({ createEsimBooking, handleBookingResponse })', context);

// The guide's router, as written there.
const router = express.Router();
router.post('/bookings', async (req, res) => {
  try {
    const travelBooking = await createTravelBooking(req.body);
    const esimBooking = await createEsimBooking({
      bookingId: travelBooking.id,
      departureDate: travelBooking.departureDate,
      customerEmail: travelBooking.customerEmail,
      firstName: travelBooking.firstName,
      lastName: travelBooking.lastName,
      countryCode: travelBooking.destination,
    });
    await handleBookingResponse(esimBooking);
    if (!esimBooking.success) throw new Error(JSON.stringify(esimBooking.error));
    res.json({ success: true, message: 'Booking confirmed! Check your email for eSIM details.',
               travelBooking });
  } catch (error) {
    res.status(500).json({ success: false, error: 'Booking failed. Please try again.' });
  }
});

// tripsim's webhooks: x-tripsim-signature is "sha256=" + hex HMAC-SHA256(webhook secret,
// x-tripsim-timestamp + "." + the raw body). Checked in constant time, on the bytes as
// received (so before any JSON parsing), with the timestamp no more than 5 minutes away.
function verifyWebhook(req) {
  const secret = process.env.TRIPSIM_WEBHOOK_SECRET;
  const timestamp = req.get('x-tripsim-timestamp') || '';
  const given = Buffer.from(req.get('x-tripsim-signature') || '');
  if (!secret || !/^\d+$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > 300000) {
    return false;
  }
  const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', secret)
      .update(timestamp + '.').update(req.body).digest('hex'));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const seenEvents = new Set();  // a retried delivery repeats its event_id
function recordEsimEvent(event) {
  if (seenEvents.has(event.event_id)) return;
  seenEvents.add(event.event_id);
  const trip = travelBookings.get(event.data.booking_id);  // the booking_id we sent
  if (!trip) return;
  trip.esimStatus = event.data.status;
  (trip.esimEvents ||= []).push({ event: event.event, at: event.timestamp });
}

const app = express();
app.post('/tripsim-webhooks', express.raw({ type: () => true, limit: '1mb' }), (req, res) => {
  if (!verifyWebhook(req)) {
    res.status(401).json({ success: false, error: 'bad webhook signature' });
    return;
  }
  recordEsimEvent(JSON.parse(req.body.toString('utf8')));
  res.status(204).end();
});
app.use(express.json());
app.use(router);
app.get('/bookings/:id', (req, res) => {
  const trip = travelBookings.get(req.params.id);
  if (trip) {
    res.json(trip);
  } else {
    res.status(404).json({ success: false, error: 'no such booking' });
  }
});
const server = app.listen(Number(process.env.PORT || 3000), '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'listening', port: server.address().port }));
});
