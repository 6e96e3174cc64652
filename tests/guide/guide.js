const crypto = require('crypto');
function generateHeaders(method, path, timestamp) {
const payload = timestamp + method + path;
const signature = crypto
.createHmac('sha256', process.env.HUBBY_API_SECRET)
.update(payload)
.digest('hex');
return {
'x-api-key': process.env.HUBBY_API_KEY,
'x-timestamp': timestamp,
'x-signature': signature,
'Content-Type': 'application/json'
};
}
// Use staging for development, production for live
const API_BASE_URL = process.env.NODE_ENV === 'production'
? 'https://api.hubbyesim.com'
: process.env.TRIPSIM_BASE_URL;
async function createEsimBooking(bookingData) {
const timestamp = Date.now().toString();
const path = '/api/bookings';
const response = await fetch(`${API_BASE_URL}/api/bookings`, {
method: 'POST',
headers: generateHeaders('POST', path, timestamp),
body: JSON.stringify({
booking_id: bookingData.bookingId,
departure_date: bookingData.departureDate,
email: bookingData.customerEmail,
first_name: bookingData.firstName,
last_name: bookingData.lastName,
package_specifications: [{
destination: bookingData.countryCode // Just specify the country code
}],
communication_options: {
should_send_message: true,
channels: ["EMAIL"]
}
})
});
return await response.json();
}
async function handleBookingResponse(bookingResponse) {
if (bookingResponse.success) {
// Store the Hubby booking ID for future reference
await updateBookingRecord({
hubbyBookingId: bookingResponse.data.id,
promocodes: bookingResponse.data.promo_codes
});
} else {
// Handle error cases
console.error('Booking creation failed:', bookingResponse.error);
}
}
