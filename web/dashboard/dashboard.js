// The tripsim dashboard: a login form until a token is given, then the figures of
// GET /api/admin/stats (the token travels as a bearer header and is kept only in this tab's
// sessionStorage). Everything is written with textContent: no data ever becomes markup.
'use strict';

const TOKEN_KEY = 'tripsim.dashboard.token';
const REFRESH_MS = 30000;
const REASONS = ['validation', 'authentication', 'no_package', 'conflict', 'rate_limited', 'internal'];

const $ = (id) => document.getElementById(id);
const charts = {};
let refreshTimer = null;
let knownPartners = null;  // the partner filter's options, from the first unfiltered answer

function percent(rate) {
  return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + '%';
}

function seconds(s) {
  return s === null || s === undefined ? '–' : s.toFixed(2) + ' s';
}

function isoDate(d) {
  return d.toISOString().slice(0, 10);
}

function showLogin(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(refreshTimer);
  $('board').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('token').focus();
}

async function load() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showLogin();
  const params = new URLSearchParams({ from: $('from').value, to: $('to').value });
  if ($('partner').value) params.set('partner', $('partner').value);
  $('status').textContent = 'Loading…';
  let res;
  try {
    res = await fetch('/api/admin/stats?' + params, {
      headers: { Authorization: 'Bearer ' + token },
      cache: 'no-store',
    });
  } catch (e) {
    $('status').textContent = 'The server did not answer (' + e.message + '); retrying.';
    return;
  }
  if (res.status === 401) return showLogin('That token was not accepted.');
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    $('status').textContent = (body.error && body.error.message) || body.message || ('Error ' + res.status);
    return;
  }
  $('login').hidden = true;
  $('board').hidden = false;
  $('logout').hidden = false;
  render(body);
  $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · ' + body.from + ' to ' + body.to + ' (UTC)';
}

function render(stats) {
  if (knownPartners === null && !$('partner').value) {
    knownPartners = stats.partners.map((p) => ({ id: p.partner_id, name: p.name }));
    const select = $('partner');
    for (const p of knownPartners) {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = p.name + ' (' + p.id + ')';
      select.appendChild(option);
    }
    // A partner's own token sees one partner: no filter to offer.
    $('partner-label').hidden = knownPartners.length <= 1;
  }
  const t = stats.totals;
  $('success-rate').textContent = percent(t.bookings.success_rate);
  $('success-detail').textContent = t.bookings.accepted + ' accepted of ' + t.bookings.attempted + ' attempted';
  $('delivery-rate').textContent = t.messages.sent + ' sent';
  $('delivery-detail').textContent = t.messages.pending + ' pending · ' + t.messages.failed + ' failed · ' +
      t.messages.cancelled + ' cancelled · p50 ' + seconds(t.messages.p50_seconds_to_send) +
      ' · p95 ' + seconds(t.messages.p95_seconds_to_send);
  $('activation-rate').textContent = percent(t.promo_codes.activation_rate);
  $('activation-detail').textContent = t.promo_codes.redeemed + ' redeemed of ' + t.promo_codes.issued + ' issued';

  const reasons = $('reasons').tBodies[0];
  reasons.replaceChildren(...REASONS.map((r) => row([r.replace('_', ' '), t.bookings.failures_by_reason[r]], r)));

  const partners = $('partners').tBodies[0];
  partners.replaceChildren(...stats.partners.map((p) => row([
    p.name, p.bookings.attempted, p.bookings.accepted, p.bookings.failed, percent(p.bookings.success_rate),
    p.messages.sent, p.messages.pending, p.messages.failed, seconds(p.messages.p50_seconds_to_send),
    p.promo_codes.issued, p.promo_codes.redeemed, percent(p.promo_codes.activation_rate),
  ], p.partner_id)));

  // What the failed counts are made of: the latest emails that failed for good, and why.
  const names = new Map(stats.partners.map((p) => [p.partner_id, p.name]));
  const failed = stats.failed_messages || [];
  $('failed-section').hidden = failed.length === 0;
  $('failed').tBodies[0].replaceChildren(...failed.map((m) => row([
    m.created_at.replace('T', ' ').slice(0, 16), names.get(m.partner_id) || m.partner_id, m.booking_id,
    m.recipient || '(erased)', m.attempts, m.last_error,
  ], m.message_id)));

  const days = stats.daily.map((d) => d.date);
  const failures = stats.daily.map((d) => d.bookings.failed);
  chart('chart-bookings', 'bar', days, [
    { label: 'Accepted', data: stats.daily.map((d) => d.bookings.accepted), backgroundColor: '#2e7d32', stack: 'b' },
    { label: 'Failed', data: failures, backgroundColor: '#c62828', stack: 'b' },
  ]);
  chart('chart-messages', 'bar', days, [
    { label: 'Sent', data: stats.daily.map((d) => d.messages.sent), backgroundColor: '#1565c0', stack: 'm' },
    { label: 'Pending', data: stats.daily.map((d) => d.messages.pending), backgroundColor: '#f9a825', stack: 'm' },
    { label: 'Failed', data: stats.daily.map((d) => d.messages.failed), backgroundColor: '#c62828', stack: 'm' },
    { label: 'Cancelled', data: stats.daily.map((d) => d.messages.cancelled), backgroundColor: '#9e9e9e', stack: 'm' },
  ]);
  chart('chart-activations', 'line', days, [
    { label: 'Issued', data: stats.daily.map((d) => d.promo_codes.issued), borderColor: '#6a1b9a', backgroundColor: '#6a1b9a' },
    { label: 'Redeemed', data: stats.daily.map((d) => d.promo_codes.redeemed), borderColor: '#00897b', backgroundColor: '#00897b' },
  ]);
}

function row(cells, key) {
  const tr = document.createElement('tr');
  tr.dataset.key = key;
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = String(c);
    tr.appendChild(td);
  }
  return tr;
}

function chart(id, type, labels, datasets) {
  if (typeof Chart === 'undefined') return;  // the page still shows every number
  if (charts[id]) {
    charts[id].data.labels = labels;
    charts[id].data.datasets = datasets;
    charts[id].update('none');
    return;
  }
  charts[id] = new Chart($(id), {
    type,
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: type === 'bar' }, y: { stacked: type === 'bar', beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

function schedule() {
  clearInterval(refreshTimer);
  if ($('auto-refresh').checked) refreshTimer = setInterval(load, REFRESH_MS);
}

document.addEventListener('DOMContentLoaded', () => {
  const today = new Date();
  $('to').value = isoDate(today);
  $('from').value = isoDate(new Date(today.getTime() - 29 * 86400000));
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    knownPartners = null;
    load().then(schedule);
  });
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  $('partner').addEventListener('change', load);
  $('auto-refresh').addEventListener('change', schedule);
  $('logout').addEventListener('click', () => showLogin());
  if (sessionStorage.getItem(TOKEN_KEY)) load().then(schedule); else showLogin();
});
