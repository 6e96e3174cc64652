// The partner guide's example integration flow as a runnable Express service. The guide's
// three functions (generateHeaders, createEsimBooking, handleBookingResponse) are not copied
// here: they are loaded from tests/guide/guide.js, where they are kept verbatim.
//
//   TRIPSIM_BASE_URL=http://127.0.0.1:8080 HUBBY_API_KEY=… HUBBY_API_SECRET=… PORT=3000 node server.js
//   curl -X POST localhost:3000/bookings -H 'Content-Type: application/json' \
//     -d '{"departureDate":"2026-12-15","customerEmail":"ada@example.com","firstName":"Ada","lastName":"Lovelace","destination":"IT"}'
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

const app = express();
app.use(express.json());
app.use(router);
const server = app.listen(Number(process.env.PORT || 3000), '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'listening', port: server.address().port }));
});
