#!/usr/bin/env node
// Calls every method of the official StateSet Node SDK's 25 seed resources once, as a user
// would, against a running StateSet One, and classifies each call. See README.md.
//
// Env: BASE_URL (…/v1), API_KEY, SDK_DIST (the SDK's built dist/ directory).
// SWEEP_VERBOSE=1 prints the HTTP exchanges of every call, not only of the failing ones.
'use strict';

const fs = require('fs');
const path = require('path');

const BASE_URL = process.env.BASE_URL;
const API_KEY = process.env.API_KEY;
const SDK_DIST = process.env.SDK_DIST;
const VERBOSE = process.env.SWEEP_VERBOSE === '1';
if (!BASE_URL || !API_KEY || !SDK_DIST) {
  console.error('sweep.js needs BASE_URL, API_KEY and SDK_DIST');
  process.exit(2);
}

const sdk = require(path.resolve(SDK_DIST, 'index.js'));
const Client = sdk.StatesetClient || sdk.default;
// the SDK logs every request to the console outside NODE_ENV=production
if (sdk.logger && typeof sdk.logger.removeConsoleHandler === 'function') sdk.logger.removeConsoleHandler();

// The resources of the compatibility table (docs/API.md), by their property on the client.
const RESOURCES = [
  'customers', 'orders', 'returns', 'warranties', 'inventory', 'purchaseorders', 'asns', 'suppliers',
  'billofmaterials', 'workorders', 'warehouses', 'picks', 'shipments', 'cycleCounts', 'leads', 'contacts',
  'opportunities', 'casesTickets', 'orderItems', 'returnItems', 'warrantyItems', 'workorderItems',
  'shipmentItems', 'purchaseorderItems', 'asnItems',
];

// ---------------------------------------------------------------------------------------
// Enumeration: every own and inherited method of each resource object, less the
// constructor, underscore helpers and the members TypeScript declares private or protected
// (erased at run time, so read from the .d.ts next to the module that defines the class).

function dtsHidden(dtsFile, className) {
  const hidden = new Set();
  if (!fs.existsSync(dtsFile)) return null;
  const text = fs.readFileSync(dtsFile, 'utf8');
  const re = new RegExp(`class ${className}\\b[^{]*\\{`, 'g');
  const m = re.exec(text);
  if (!m) return null;
  // the class body ends at the first line that is a lone closing brace
  const rest = text.slice(m.index + m[0].length);
  const end = rest.search(/\n\}/);
  const body = end < 0 ? rest : rest.slice(0, end);
  for (const mm of body.matchAll(/^\s*(?:private|protected)\s+(?:static\s+)?(?:readonly\s+)?(\w+)/gm)) hidden.add(mm[1]);
  return hidden;
}

function enumerate(client) {
  // which module of lib/resources defines each constructor
  const dir = path.resolve(SDK_DIST, 'lib', 'resources');
  const where = new Map();
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.js')) continue;
    let mod;
    try { mod = require(path.join(dir, f)); } catch { continue; }
    for (const v of Object.values(mod)) if (typeof v === 'function' && !where.has(v)) where.set(v, path.join(dir, f.replace(/\.js$/, '.d.ts')));
  }
  const out = new Map();
  const notes = [];
  for (const name of RESOURCES) {
    const obj = client[name];
    if (!obj) { notes.push(`no client.${name}`); out.set(name, []); continue; }
    const methods = [];
    for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      const ctor = p.constructor;
      const dts = where.get(ctor);
      const hidden = dts ? dtsHidden(dts, ctor.name) : null;
      if (!hidden) notes.push(`${name}: no declaration of class ${ctor.name} found; its private methods cannot be told apart`);
      for (const k of Object.getOwnPropertyNames(p)) {
        if (k === 'constructor' || k.startsWith('_')) continue;
        const d = Object.getOwnPropertyDescriptor(p, k);
        if (typeof d.value !== 'function') continue;
        if (hidden && hidden.has(k)) continue;
        if (!methods.includes(k)) methods.push(k);
      }
    }
    out.set(name, methods);
  }
  return { methods: out, notes };
}

// ---------------------------------------------------------------------------------------
// Clients, calls and their classification.

function newClient(log) {
  const last = () => log[log.length - 1];
  return new Client({
    apiKey: API_KEY,
    baseUrl: BASE_URL,
    cache: { enabled: false },
    retry: 0,
    requestInterceptors: [cfg => {
      log.push({ method: String(cfg.method || 'get').toUpperCase(), url: cfg.url, params: cfg.params, body: cfg.data });
      return cfg;
    }],
    responseInterceptors: [res => {
      const e = last();
      if (e) { e.status = res.status; e.response = res.data; }
      return res;
    }],
    errorInterceptors: [err => {
      const e = last();
      if (e && err.response) { e.status = err.response.status; e.response = err.response.data; }
    }],
  });
}

function short(v, n = 300) {
  let s;
  if (Buffer.isBuffer(v)) s = `<${v.length} bytes> ` + v.toString('utf8', 0, Math.min(v.length, 120));
  else if (typeof v === 'string') s = v;
  else { try { s = JSON.stringify(v); } catch { s = String(v); } }
  if (s === undefined) s = 'undefined';
  s = s.replace(/\s+/g, ' ');
  return s.length > n ? s.slice(0, n) + '…' : s;
}

function exchangeLines(log) {
  const lines = [];
  for (const e of log) {
    const q = e.params && Object.keys(e.params).length ? ' params=' + short(e.params, 200) : '';
    lines.push(`#   > ${e.method} ${e.url}${q}${e.body !== undefined ? ' ' + short(e.body, 600) : ''}`);
    lines.push(`#   < ${e.status === undefined ? '(no answer)' : e.status} ${e.response === undefined ? '' : short(e.response, 600)}`);
  }
  if (!log.length) lines.push('#   (nothing sent)');
  return lines;
}

const counts = { ok: 0, '501': 0, '5xx': 0, '404-route': 0, '4xx': 0, 'sdk-threw': 0, unusable: 0 };
const results = [];
const called = new Set();
let expected = new Map(); // "res.method" → true

function emit(line) { process.stdout.write(line + '\n'); }
function note(s) { emit('# ' + s); }

function summarize(r) {
  if (r === undefined) return 'undefined';
  if (r === null) return 'null';
  if (Buffer.isBuffer(r)) return `${r.length} bytes`;
  if (Array.isArray(r)) return `[${r.length}]`;
  if (typeof r !== 'object') return short(r, 60);
  const parts = [];
  if (r.id) parts.push(`id=${r.id}`);
  if (r.status) parts.push(`status=${r.status}`);
  if (!parts.length) parts.push('keys=' + Object.keys(r).slice(0, 6).join(','));
  return parts.join(' ');
}

// call runs one counted SDK method. fn(resource, client) makes the call; check(result) is
// true (or undefined) when the result is usable, else a string saying why not.
async function call(res, method, fn, check) {
  const key = `${res}.${method}`;
  if (!expected.has(key)) note(`HARNESS: ${key} is not an enumerated SDK method`);
  if (called.has(key)) { note(`HARNESS: ${key} called twice; the second call is skipped`); return { ok: false }; }
  called.add(key);
  const log = [];
  const client = newClient(log);
  let result, err, threw = false;
  try { result = await fn(client[res], client); } catch (e) { err = e; threw = true; }
  let cls, detail;
  if (threw) {
    const status = err && (err.status ?? err.statusCode);
    const lastEx = log[log.length - 1];
    const errDetail = (err && typeof err.detail === 'string' && !/^\s*(\w*Error|at )/.test(err.detail) ? err.detail : '') ||
      (lastEx && lastEx.response && lastEx.response.detail) || (err && err.message) || String(err);
    if (status === 501) { cls = '501'; detail = errDetail; }
    else if (status >= 500) { cls = '5xx'; detail = `${status} ${errDetail}`; }
    else if (status === 404 && lastEx && lastEx.response && (lastEx.response.error?.message === 'no such route' || /no such route/.test(short(lastEx.response)))) {
      cls = '404-route'; detail = `${lastEx.method} ${lastEx.url}`;
    } else if (status >= 400) { cls = '4xx'; detail = `${status} ${errDetail}`; }
    else {
      cls = 'sdk-threw';
      const sent = log.length ? `after ${lastEx.status === undefined ? 'no answer' : lastEx.status} to ${lastEx.method} ${lastEx.url}` : 'before sending';
      detail = `${err && err.name ? err.name + ': ' : ''}${err && err.message} (${sent})`;
    }
  } else {
    let v;
    try { v = await check(result); } catch (e) { v = 'check threw: ' + (e && e.message); }
    if (v === true || v === undefined) { cls = 'ok'; detail = summarize(result); }
    else { cls = 'unusable'; detail = `${v} — got ${short(result, 200)}`; }
  }
  counts[cls]++;
  results.push({ cls, key, detail });
  emit(`${cls} ${key} ${detail}`);
  if (VERBOSE || (cls !== 'ok' && cls !== '501')) for (const l of exchangeLines(log)) emit(l);
  return { ok: cls === 'ok', result, cls };
}

// setup makes a prerequisite through the SDK (not counted); a failure is noted and undefined returned.
async function setup(label, fn) {
  const log = [];
  const client = newClient(log);
  try {
    return await fn(client);
  } catch (e) {
    note(`SETUP FAILED: ${label}: ${e && e.message}${e && e.detail && typeof e.detail === 'string' ? ' — ' + short(e.detail, 200) : ''}`);
    for (const l of exchangeLines(log)) emit(l);
    return undefined;
  }
}

// nat is the native API (no SDK User-Agent: the native dialect), for checks and the few
// prerequisites the SDK cannot read back (a purchase order's line ids).
async function nat(method, p, body) {
  let res;
  try {
    res = await fetch(BASE_URL + p, {
      method,
      headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json', 'Stateset-Dialect': 'native' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { status: 0, body: String(e && e.cause || e) };
  }
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, body: json };
}

// ---------------------------------------------------------------------------------------
// Checks.

const isObj = r => (r && typeof r === 'object') || 'not an object';
const hasId = (id) => r => {
  if (!r || typeof r !== 'object') return 'not an object';
  if (!r.id) return 'no id';
  if (id !== undefined && r.id !== id) return `id ${r.id}, want ${id}`;
  return true;
};
const withStatus = (want, id) => r => {
  const h = hasId(id)(r);
  if (h !== true) return h;
  const s = r.status;
  if (Array.isArray(want) ? !want.includes(s) : s !== want) return `status ${s}, want ${want}`;
  return true;
};
const arrayHas = (arr, id, what = 'list') => {
  if (!Array.isArray(arr)) return `${what} is not an array`;
  if (id !== undefined && !arr.some(x => x && (x.id === id))) return `${what} lacks ${id}`;
  return true;
};
// a native GET of what a create made (the "a following get can fetch it" half)
const fetchable = (nativeCollection) => async r => {
  const h = hasId()(r);
  if (h !== true) return h;
  const g = await nat('GET', `${nativeCollection}/${encodeURIComponent(r.id)}`);
  return g.status === 200 || `GET ${nativeCollection}/${r.id} answered ${g.status}`;
};
const nativeStatus = (p, want) => async () => {
  const g = await nat('GET', p);
  if (g.status !== 200) return `GET ${p} answered ${g.status}`;
  const s = g.body && g.body.status;
  return (Array.isArray(want) ? want.includes(s) : s === want) || `GET ${p}: status ${s}, want ${want}`;
};
const all = (...checks) => async r => {
  for (const c of checks) {
    const v = await c(r);
    if (v !== true && v !== undefined) return v;
  }
  return true;
};

// ---------------------------------------------------------------------------------------
// Values.

const RUN = Date.now().toString(36);
const NOW = () => new Date().toISOString();
const DAY = 86400000;
const dateOnly = t => new Date(t).toISOString().slice(0, 10);
const TODAY = dateOnly(Date.now());
const YESTERDAY = new Date(Date.now() - DAY);
const TOMORROW = new Date(Date.now() + DAY);
const SKU = { A: `MUG-${RUN}`, B: `SAUCER-${RUN}`, C: `BOX-${RUN}`, CC: `COUNTED-${RUN}`, P1: `PART1-${RUN}`, P2: `PART2-${RUN}`, KIT: `KIT-${RUN}` };
let seq = 0;
const uniq = s => `${s}${RUN}${++seq}`;

const custAddress = { type: 'SHIPPING', street1: '1 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US', is_residential: true };
const customerBody = (first, last) => {
  const email = `${uniq(first.toLowerCase())}@example.com`;
  return {
    name: `${first} ${last}`, type: 'INDIVIDUAL', status: 'ACTIVE', email, phone: '+1 555 0100',
    addresses: [custAddress], contacts: [{ type: 'EMAIL', value: email, is_primary: true }],
    billing_info: { payment_terms: 'NET30', credit_limit: 500, currency: 'USD' },
    preferences: { communication: 'EMAIL', language: 'en', timezone: 'UTC' },
    created_at: NOW(), updated_at: NOW(), tags: ['sweep'],
  };
};
const orderAddress = { first_name: 'Ada', last_name: 'Lovelace', street_address1: '1 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US', phone: '+1 555 0100' };
const orderBody = (customer, lines) => {
  const items = lines.map(([sku, qty, price]) => ({ product_id: sku, quantity: qty, unit_price: price, total_amount: qty * price }));
  const subtotal = items.reduce((s, i) => s + i.total_amount, 0);
  return {
    customer_id: customer, items, shipping_address: orderAddress, billing_address: orderAddress,
    payment_details: { payment_method: 'card', transaction_id: uniq('txn_'), status: 'paid', amount_paid: subtotal, currency: 'USD', payment_date: NOW() },
    totals: { subtotal, shipping_total: 0, tax_total: 0, discount_total: 0, grand_total: subtotal, currency: 'USD' },
    notes: ['gift wrap'], priority: 'high', source: 'web',
  };
};
const whAddress = { street: '1 Dock Rd', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' };
const zone = (id, type, storage) => ({ id, name: id, type, capacity: { total_space: 100, available_space: 100, units: 'pallets' }, storage_type: storage });
const warehouseBody = name => ({
  name, code: uniq('WH-'),
  location: { address: whAddress, timezone: 'UTC', business_hours: [{ day: 'MON', open: '08:00', close: '18:00' }] },
  status: 'ACTIVE', total_capacity: { value: 1000, unit: 'pallets' }, zones: [zone('A1', 'storage', 'pallet_rack')],
  equipment: [], staff: [],
  config: { operating_hours: { timezone: 'UTC', schedule: [] }, security_settings: {}, safety_protocols: [] },
});
const supplierBody = name => ({
  name, type: 'MANUFACTURER', status: 'ACTIVE', supplier_code: uniq('SUP-'), email: `${uniq('po')}@acme.example`, phone: '+1 555 0150',
  addresses: [{ type: 'BILLING', street1: '1 Acme Way', city: 'Acme', state: 'CA', postal_code: '90001', country: 'US' }],
  contacts: [{ type: 'EMAIL', value: 'rep@acme.example', name: 'Rep', is_primary: true }],
  payment_terms: { terms: 'NET30', credit_limit: 1000, currency: 'USD' }, categories: ['mugs'],
  created_at: NOW(), updated_at: NOW(),
});
const poBody = (supplier, lines) => ({
  supplier_id: supplier, expected_delivery_date: dateOnly(Date.now() + 14 * DAY),
  items: lines.map(([sku, qty, price]) => ({ item_id: sku, quantity: qty, unit_price: price })),
});
const asnAddress = { street: '1 Acme Way', city: 'Acme', state: 'CA', postal_code: '90001', country: 'US' };
const asnBody = (po, items) => ({
  purchase_order_id: po, carrier: 'UPS', tracking_number: uniq('1Z'), expected_delivery_date: new Date(Date.now() + 7 * DAY).toISOString(),
  ship_from_address: asnAddress, ship_to_address: { ...whAddress },
  items: items.map(([line, qty]) => ({ purchase_order_item_id: line, quantity_shipped: qty, package_number: 'PKG-1' })),
});
const bomBody = (sku, name) => ({
  name, description: `${name} for the sweep`, product_id: sku,
  components: [{ id: 'c1', item_id: SKU.P1, quantity: 2, unit_cost: 1.5, lead_time: 3, type: 'raw_material' }],
  metadata: { version: '1' }, assembly_time: 1,
});
const workorderBody = (bom, facility, description) => ({
  type: 'INSTALLATION', description, priority: 'HIGH', asset_id: bom,
  location: { facility_id: facility, area: 'A1' },
  tasks: [{ id: 't1', sequence: 1, description: 'assemble', duration: { estimated: 30 }, resources: [], status: 'PENDING', details: { instructions: ['follow the BOM'] } }],
  resources: [], safety_requirements: [], quality_checks: [],
  metrics: { schedule: { planned_start: NOW(), planned_end: TOMORROW.toISOString() }, costs: { estimated: 10, currency: 'USD' }, labor: { hours_estimated: 1 } },
  metadata: { quantity: 2 },
});
const warrantyBody = (customer, order) => ({
  customer_id: customer, order_id: order, type: 'MANUFACTURER',
  items: [{ item_id: SKU.A, sku: SKU.A, serial_number: uniq('SN-'), description: 'Mug', purchase_date: TODAY, warranty_start: TODAY, warranty_end: dateOnly(Date.now() + 365 * DAY), condition: 'NEW' }],
  coverage: { duration_months: 12, terms: 'parts and labour', exclusions: ['drops'] },
  status_history: [], created_at: NOW(), updated_at: NOW(),
});
const returnBody = (order, customer, line, qty = 1) => ({
  order_id: order, customer_id: customer,
  items: [{ order_item_id: line, product_id: SKU.A, quantity: qty, reason: 'defective', condition: 'like_new', refund_amount: 12.5 * qty, notes: 'cracked' }],
  shipping_address: { name: 'Ada Lovelace', address_line1: '1 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US', phone: '+1 555 0100' },
  return_shipping: { preferred_carrier: 'UPS' }, notes: ['Customer reports a crack'],
});
const pickBody = (warehouse, orders, qty) => ({
  order_ids: orders, warehouse_id: warehouse, type: 'SINGLE_ORDER', priority: 'HIGH', method: 'DISCRETE',
  items: [{
    item_id: SKU.A, sku: SKU.A, product_name: 'Mug', quantity: { requested: qty, picked: 0, available: qty }, unit_of_measure: 'each',
    location: { zone_id: 'A1', aisle: '1', rack: '1', shelf: '1', bin: '1', sequence_number: 1 },
    substitutions: { allowed: false }, status: 'PENDING',
  }],
  schedule: { due: TOMORROW.toISOString() }, instructions: ['fragile'],
});
const shipAddress = { name: 'Ada Lovelace', street1: '1 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US', phone: '+1 555 0100', is_residential: true };
const leadBody = (first, last) => ({ first_name: first, last_name: last, email: `${uniq(first.toLowerCase())}@example.com`, company: 'Navy', source: 'web', phone: '+1 555 0120' });
const contactBody = (customer, first, last) => ({
  entity_id: customer, type: 'CUSTOMER', status: 'ACTIVE', first_name: first, last_name: last, email: `${uniq(first.toLowerCase())}@example.com`,
  phone: '+1 555 0130', job_title: 'Buyer', address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
  is_primary: true, notes: ['met at the expo'], created_at: NOW(), updated_at: NOW(),
});
const opportunityBody = (lead, customer, description) => ({
  lead_id: lead, customer_id: customer, status: 'PROSPECTING', stage: 'OPPORTUNITY', amount: 1500.5, currency: 'USD',
  expected_close_date: new Date(Date.now() + 30 * DAY).toISOString(), assigned_to: 'sam', description, probability: 40,
  created_at: NOW(), updated_at: NOW(),
});
const caseBody = (customer, order, subject) => ({
  customer_id: customer, order_id: order, status: 'OPEN', priority: 'HIGH', subject, description: 'arrived cracked',
  created_at: NOW(), updated_at: NOW(),
});
const cycleCountBody = (warehouse, date) => ({ location: warehouse, scheduled_date: date, items: [{ item_id: SKU.CC, expected_quantity: 20 }] });

// iterate is an async generator: a user consumes it
async function drain(it, max = 1000) {
  const out = [];
  for await (const x of it) { out.push(x); if (out.length >= max) break; }
  return out;
}

// ---------------------------------------------------------------------------------------
// The sweep. Every call runs once, in an order that has what it needs: creates first, the
// actions on objects in the state they need, destructive calls on their own objects, last.

async function main() {
  const ready = await nat('GET', '/../ready');
  if (ready.status !== 200) {
    console.error(`the server at ${BASE_URL} is not ready: ${ready.status} ${short(ready.body)}`);
    return 1;
  }
  const probe = new Client({ apiKey: API_KEY, baseUrl: BASE_URL, cache: { enabled: false } });
  const { methods, notes } = enumerate(probe);
  let total = 0;
  for (const [res, ms] of methods) { total += ms.length; for (const m of ms) expected.set(`${res}.${m}`, true); }
  note(`SDK at ${SDK_DIST}; server ${BASE_URL}; run ${RUN}`);
  note(`enumerated ${total} methods on ${methods.size} resources (prototype chain, less constructor, _helpers and TypeScript private/protected members)`);
  for (const [res, ms] of methods) note(`  ${res} (${ms.length}): ${ms.join(' ')}`);
  for (const n of notes) note('ENUMERATION: ' + n);

  const ctx = {};

  // ---- warehouses first: every stock, order and count below is at this one
  {
    const r = await call('warehouses', 'create', w => w.create(warehouseBody('Sweep DC')), fetchable('/warehouses'));
    ctx.wh = r.result && r.result.id;
  }
  if (!ctx.wh) { note('no warehouse: using main'); ctx.wh = 'main'; }

  // ---- inventory: the SKUs everything below uses, stocked at the warehouse
  const invBody = (sku, qty, extra = {}) => ({
    item_id: sku, quantity: qty, location: { id: ctx.wh, name: 'Sweep DC', type: 'warehouse' }, status: 'in_stock',
    metadata: { sku, upc: '000000000000' }, reorder_point: 5, reorder_quantity: 50, unit_cost: 4.25, unit_price: 12.5, ...extra,
  });
  {
    const r = await call('inventory', 'create', i => i.create(invBody(SKU.A, 500)),
      all(fetchable('/inventory'), r => r.item_id === SKU.A || `item_id ${r.item_id}`));
    ctx.invA = r.result && r.result.id;
  }
  for (const [k, sku, q] of [['invB', SKU.B, 500], ['invC', SKU.C, 500], ['invCC', SKU.CC, 20], ['invP1', SKU.P1, 500], ['invP2', SKU.P2, 500], ['invKIT', SKU.KIT, 0]]) {
    const r = await setup(`inventory ${sku}`, c => c.inventory.create(invBody(sku, q)));
    ctx[k] = r && r.id;
  }

  await call('inventory', 'get', i => i.get(ctx.invA), hasId(ctx.invA));
  await call('inventory', 'list', i => i.list({ item_id: SKU.A, limit: 10, offset: 0 }), r => arrayHas(r, ctx.invA, 'inventory'));
  await call('inventory', 'update', i => i.update(ctx.invA, { reorder_point: 10, reorder_quantity: 100, unit_cost: 4.5 }),
    all(hasId(ctx.invA), r => r.reorder_point === 10 || `reorder_point ${r.reorder_point}`));
  await call('inventory', 'adjustQuantity', i => i.adjustQuantity(ctx.invA, { type: 'receipt', quantity: 5, reason: 'restock', reference_id: 'rcpt-1', notes: 'found a case' }),
    all(hasId(ctx.invA), r => r.quantity === 505 || `quantity ${r.quantity}, want 505`));
  await call('inventory', 'getHistory', i => i.getHistory(ctx.invA, { limit: 20 }), r => (r && Array.isArray(r.history) && r.history.length > 0) || 'no history');
  {
    const r = await call('inventory', 'reserve', i => i.reserve(ctx.invA, 2, { notes: 'phone order', reservation_expires: TOMORROW }),
      r => Boolean(r && r.reservation_id) || 'no reservation_id');
    ctx.rsv = r.result && r.result.reservation_id;
  }
  await call('inventory', 'releaseReservation', i => i.releaseReservation(ctx.invA, ctx.rsv), r => (r && r.status === 'RELEASED') || `status ${r && r.status}`);
  await call('inventory', 'getLowStockAlerts', i => i.getLowStockAlerts({ threshold: 25 }),
    r => arrayHas(r, ctx.invCC, 'alerts'));
  await call('inventory', 'getInventoryValue', i => i.getInventoryValue({}), r => (r && typeof r.total_value === 'number' && r.total_value > 0) || 'no total_value');
  await call('inventory', 'bulkAdjust', i => i.bulkAdjust([{ inventory_id: ctx.invB, adjustment: { type: 'adjustment', quantity: 3, reason: 'recount' } }]),
    r => (r && Array.isArray(r.results) && r.results.every(x => x.success)) || 'not every adjustment succeeded');
  await call('inventory', 'transfer', i => i.transfer({ from_location: ctx.wh, to_location: 'main', quantity: 1, reason: 'rebalance' }), isObj);

  // ---- customers
  {
    const r = await call('customers', 'create', c => c.create(customerBody('Ada', 'Lovelace')), fetchable('/customers'));
    ctx.cus = r.result && r.result.id;
  }
  await call('customers', 'get', c => c.get(ctx.cus), all(hasId(ctx.cus), r => (r.data && r.data.name === 'Ada Lovelace') || `name ${r.data && r.data.name}`));
  await call('customers', 'update', c => c.update(ctx.cus, { name: 'Ada King', phone: '+1 555 0101' }),
    all(hasId(ctx.cus), r => (r.data && r.data.name === 'Ada King') || `name ${r.data && r.data.name}`));
  await call('customers', 'list', c => c.list({ status: 'ACTIVE', limit: 100 }), r => arrayHas(r && r.customers, ctx.cus, 'customers'));
  await call('customers', 'search', c => c.search('King'), r => arrayHas(r && r.customers, ctx.cus, 'customers'));
  await call('customers', 'count', c => c.count(), r => (r && r.count >= 1) || 'no count');
  await call('customers', 'exists', c => c.exists(ctx.cus), r => (r && r.exists === true) || 'exists is not true');
  await call('customers', 'getMetrics', c => c.getMetrics({ date_range: { from: YESTERDAY, to: TOMORROW }, type: 'INDIVIDUAL' }), isObj);
  await call('customers', 'addAddress', c => c.addAddress(ctx.cus, { type: 'BILLING', street1: '2 Elm St', city: 'Springfield', state: 'IL', postal_code: '62702', country: 'US' }),
    all(hasId(ctx.cus), r => (r.data && r.data.addresses && r.data.addresses.length === 2) || 'not two addresses'));
  await call('customers', 'addContact', c => c.addContact(ctx.cus, { type: 'PHONE', value: '+1 555 0102', is_primary: false }), hasId(ctx.cus));
  {
    const r = await call('customers', 'bulkCreate', c => c.bulkCreate([customerBody('Bea', 'One'), customerBody('Bo', 'Two')]),
      r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkCus = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('customers', 'bulkUpdate', c => c.bulkUpdate(ctx.bulkCus.map(id => ({ id, data: { phone: '+1 555 0199' } }))),
    r => (r && r.succeeded === ctx.bulkCus.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('customers', 'bulkDelete', c => c.bulkDelete(ctx.bulkCus), r => (r && r.succeeded === ctx.bulkCus.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('customers', 'iterate', c => drain(c.iterate({ limit: 100 })), r => arrayHas(r, ctx.cus, 'iterated'));
  await call('customers', 'collectAll', c => c.collectAll({ limit: 100 }), r => arrayHas(r, ctx.cus, 'collected'));

  // ---- suppliers
  {
    const r = await call('suppliers', 'create', s => s.create(supplierBody('Acme Supply')), fetchable('/suppliers'));
    ctx.sup = r.result && r.result.id;
  }
  await call('suppliers', 'get', s => s.get(ctx.sup), hasId(ctx.sup));
  await call('suppliers', 'update', s => s.update(ctx.sup, { phone: '+1 555 0151', categories: ['mugs', 'boxes'] }),
    all(hasId(ctx.sup), r => (r.data && r.data.phone === '+1 555 0151') || `phone ${r.data && r.data.phone}`));
  await call('suppliers', 'list', s => s.list({ status: 'ACTIVE', limit: 100 }), r => arrayHas(r && r.suppliers, ctx.sup, 'suppliers'));
  await call('suppliers', 'getMetrics', s => s.getMetrics({ type: 'MANUFACTURER' }), isObj);
  await call('suppliers', 'updatePaymentTerms', s => s.updatePaymentTerms(ctx.sup, { terms: 'NET45' }),
    all(hasId(ctx.sup), r => (r.data && r.data.payment_terms && r.data.payment_terms.terms === 'NET45') || 'terms not NET45'));
  await call('suppliers', 'getPerformanceMetrics', s => s.getPerformanceMetrics(ctx.sup), isObj);
  await call('suppliers', 'listProducts', s => s.listProducts(ctx.sup, { limit: 50 }), r => (r && Array.isArray(r.products)) || 'no products array');
  await call('suppliers', 'addContact', s => s.addContact(ctx.sup, { type: 'PHONE', value: '+1 555 0152', name: 'Ops desk', role: 'ops' }), hasId(ctx.sup));

  // ---- orders: O1 lives its whole life here; the others are prerequisites of other resources
  const line1 = o => o && Array.isArray(o.items) && o.items[0] && o.items[0].id;
  {
    const r = await call('orders', 'create', o => o.create(orderBody(ctx.cus, [[SKU.A, 10, 12.5]])),
      all(withStatus('PENDING'), fetchable('/orders')));
    ctx.o1 = r.result && r.result.id;
    ctx.o1line = line1(r.result);
  }
  await call('orders', 'get', o => o.get(ctx.o1), hasId(ctx.o1));
  await call('orders', 'update', o => o.update(ctx.o1, { notes: ['gift wrap', 'leave at the door'], priority: 'urgent' }), hasId(ctx.o1));
  await call('orders', 'list', o => o.list({ customer_id: ctx.cus, limit: 50, offset: 0 }), r => arrayHas(r && r.orders, ctx.o1, 'orders'));
  await call('orders', 'search', o => o.search(SKU.A, { customer_id: ctx.cus }), r => arrayHas(r && r.orders, ctx.o1, 'orders'));
  await call('orders', 'addNote', o => o.addNote(ctx.o1, 'call before delivery'), hasId(ctx.o1));
  await call('orders', 'listNotes', o => o.listNotes(ctx.o1), r => (Array.isArray(r) && r.length > 0) || 'no notes');
  await call('orders', 'updateShippingAddress', o => o.updateShippingAddress(ctx.o1, { ...orderAddress, street_address1: '2 Main St' }), hasId(ctx.o1));
  await call('orders', 'updateBillingAddress', o => o.updateBillingAddress(ctx.o1, { ...orderAddress, street_address1: '3 Main St' }), hasId(ctx.o1));
  await call('orders', 'confirm', o => o.confirm(ctx.o1), withStatus('CONFIRMED', ctx.o1));
  await call('orders', 'process', o => o.process(ctx.o1), withStatus('PROCESSING', ctx.o1));
  await call('orders', 'ship', o => o.ship(ctx.o1, { carrier: 'UPS', method: 'ground', tracking_number: uniq('1Z'), shipping_cost: 5 }), withStatus('SHIPPED', ctx.o1));
  await call('orders', 'markDelivered', o => o.markDelivered(ctx.o1, { signature: 'A. King' }), withStatus('DELIVERED', ctx.o1));
  await call('orders', 'getTracking', o => o.getTracking(ctx.o1), r => (r && r.tracking_number && Array.isArray(r.events) && r.events.length > 0) || 'no tracking');
  await call('orders', 'getFulfillmentHistory', o => o.getFulfillmentHistory(ctx.o1, { start_date: YESTERDAY }),
    r => ((Array.isArray(r) && r.length) || (r && Array.isArray(r.history) && r.history.length)) ? true : 'no history');
  await call('orders', 'processRefund', o => o.processRefund(ctx.o1, { amount: 12.5, reason: 'goodwill' }), hasId(ctx.o1));
  await call('orders', 'addFulfillmentEvent', o => o.addFulfillmentEvent(ctx.o1, { timestamp: NOW(), status: 'DELIVERED', description: 'left at the door' }), hasId(ctx.o1));

  // an order delivered, for processReturn
  const deliveredOrder = async (label, qty) => setup(label, async c => {
    const o = await c.orders.create(orderBody(ctx.cus, [[SKU.A, qty, 12.5]]));
    await c.orders.confirm(o.id);
    await c.orders.process(o.id);
    await c.orders.ship(o.id, { carrier: 'UPS', method: 'ground', tracking_number: uniq('1Z'), shipping_cost: 5 });
    await c.orders.markDelivered(o.id);
    return o;
  });
  const pendingOrder = async (label, lines) => setup(label, c => c.orders.create(orderBody(ctx.cus, lines)));
  const confirmedOrder = async (label, qty) => setup(label, async c => {
    const o = await c.orders.create(orderBody(ctx.cus, [[SKU.A, qty, 12.5]]));
    await c.orders.confirm(o.id);
    return o;
  });
  {
    const o2 = await deliveredOrder('order to return', 2);
    ctx.o2 = o2 && o2.id;
    await call('orders', 'processReturn', o => o.processReturn(ctx.o2, { rma_number: uniq('RMA-'), reason: 'defective', condition: 'used' }),
      all(hasId(ctx.o2), r => r.return_id ? true : 'no return_id'));
  }
  await call('orders', 'getMetrics', o => o.getMetrics({ start_date: YESTERDAY, end_date: TOMORROW }), isObj);

  // ---- returns of O1 (delivered, 10 units): R1 through its life, R2 rejected and reopened, R3 cancelled
  {
    const r = await call('returns', 'create', rt => rt.create(returnBody(ctx.o1, ctx.cus, ctx.o1line)), all(withStatus('REQUESTED'), fetchable('/returns')));
    ctx.r1 = r.result && r.result.id;
  }
  await call('returns', 'get', rt => rt.get(ctx.r1), hasId(ctx.r1));
  await call('returns', 'list', rt => rt.list({ order_id: ctx.o1, limit: 50, sort_by: 'created_at', sort_order: 'desc' }), r => arrayHas(r && r.returns, ctx.r1, 'returns'));
  await call('returns', 'update', rt => rt.update(ctx.r1, { notes: ['Customer reports a crack', 'photos attached'] }), hasId(ctx.r1));
  await call('returns', 'addNote', rt => rt.addNote(ctx.r1, 'Photos received'), hasId(ctx.r1));
  await call('returns', 'canTransitionTo', rt => rt.canTransitionTo(ctx.r1, 'APPROVED'), r => r === true || `can_transition ${r}`);
  await call('returns', 'approve', rt => rt.approve(ctx.r1, { notes: 'approved' }), withStatus('APPROVED', ctx.r1));
  await call('returns', 'markReceived', rt => rt.markReceived(ctx.r1, { received_by: 'sam', condition_notes: 'box dented' }), withStatus('RECEIVED', ctx.r1));
  await call('returns', 'submitInspection', rt => rt.submitInspection(ctx.r1, {
    inspector_id: 'sam', inspection_date: NOW(), condition: 'like_new', resellable: true, recommended_action: 'restock', notes: 'fine',
    damages_found: [{ type: 'scuff', description: 'light scuff', severity: 'minor' }],
  }), withStatus('INSPECTING', ctx.r1));
  await call('returns', 'processRefund', rt => rt.processRefund(ctx.r1, { method: 'original_payment', amount: 12.5, notes: 'refunded to card' }), withStatus('COMPLETED', ctx.r1));
  await call('returns', 'getHistory', rt => rt.getHistory(ctx.r1), r => (Array.isArray(r) && r.length > 0) || 'no history');
  await call('returns', 'close', rt => rt.close(ctx.r1, { reason: 'done' }), withStatus('CLOSED', ctx.r1));
  {
    const r2 = await setup('return to reject', c => c.returns.create(returnBody(ctx.o1, ctx.cus, ctx.o1line)));
    ctx.r2 = r2 && r2.id;
    const r3 = await setup('return to cancel', c => c.returns.create(returnBody(ctx.o1, ctx.cus, ctx.o1line)));
    ctx.r3 = r3 && r3.id;
  }
  await call('returns', 'reject', rt => rt.reject(ctx.r2, { reason: 'outside the return window' }), withStatus('REJECTED', ctx.r2));
  await call('returns', 'reopen', rt => rt.reopen(ctx.r2, { reason: 'customer appealed' }), hasId(ctx.r2));
  await call('returns', 'cancel', rt => rt.cancel(ctx.r3, { reason: 'customer changed their mind' }), withStatus('CANCELLED', ctx.r3));
  await call('returns', 'getMetrics', rt => rt.getMetrics({ start_date: YESTERDAY, include_monthly_trends: true, include_top_products: true, product_limit: 5 }), isObj);
  await call('returns', 'exportData', rt => rt.exportData({ order_id: ctx.o1 }, 'csv'),
    r => (Buffer.isBuffer(r) && r.length > 0 && r.toString().includes(ctx.r1)) || 'export lacks the return');
  await call('returns', 'generateShippingLabel', rt => rt.generateShippingLabel(ctx.r1, { carrier: 'UPS', service_level: 'GROUND', weight: { value: 1, unit: 'lb' } }), isObj);

  // return lines
  {
    const r = await call('returnItems', 'list', ri => ri.list({ return_id: ctx.r1 }),
      r => (r && Array.isArray(r.return_lines) && r.return_lines.length > 0) || 'no return lines');
    ctx.r1line = r.result && r.result.return_lines && r.result.return_lines[0] && r.result.return_lines[0].id;
  }
  await call('returnItems', 'get', ri => ri.get(ctx.r1line), hasId(ctx.r1line));
  await call('returnItems', 'getMetrics', ri => ri.getMetrics({ return_id: ctx.r1 }), isObj);
  await call('returnItems', 'create', ri => ri.create({
    return_id: ctx.r2, order_id: ctx.o1, item: { product_id: SKU.A, sku: SKU.A, description: 'Mug', quantity: 1, unit_price: 12.5, currency: 'USD', condition: 'USED' },
    reason: 'DEFECTIVE', status: 'PENDING', requested_action: 'REFUND', created_at: NOW(), updated_at: NOW(), status_history: [],
  }), hasId());
  await call('returnItems', 'update', ri => ri.update(ctx.r1line, { customer_notes: 'chipped too' }), hasId(ctx.r1line));
  await call('returnItems', 'updateStatus', ri => ri.updateStatus(ctx.r1line, 'INSPECTED', 'inspected'), hasId(ctx.r1line));
  await call('returnItems', 'recordInspection', ri => ri.recordInspection(ctx.r1line, { inspector_id: 'sam', condition_notes: 'ok' }), hasId(ctx.r1line));
  await call('returnItems', 'delete', ri => ri.delete(ctx.r1line), () => true);

  // ---- warranties: W1 approved, claimed, closed, reopened; W2 rejected, W3 cancelled, W4 deleted
  {
    const r = await call('warranties', 'create', w => w.create(warrantyBody(ctx.cus, ctx.o1)), all(withStatus('PENDING'), fetchable('/warranties')));
    ctx.w1 = r.result && r.result.id;
  }
  await call('warranties', 'get', w => w.get(ctx.w1), hasId(ctx.w1));
  await call('warranties', 'list', w => w.list({ customer_id: ctx.cus, limit: 50 }), r => arrayHas(r && r.warranties, ctx.w1, 'warranties'));
  await call('warranties', 'approve', w => w.approve(ctx.w1, 'valid purchase'), withStatus('APPROVED', ctx.w1));
  {
    const r = await call('warranties', 'addClaim', w => w.addClaim(ctx.w1, { reported_at: NOW(), issue_description: 'handle cracked', photos: ['https://example.com/1.jpg'] }),
      all(hasId(ctx.w1), r => (r.data && Array.isArray(r.data.claims) && r.data.claims.length === 1) || 'no claim'));
    const claims = r.result && r.result.data && r.result.data.claims;
    ctx.claimA = claims && claims[0] && `${ctx.w1}~${claims[0].id}`;
  }
  // warranty lines are its claims
  {
    const r = await call('warrantyItems', 'create', wi => wi.create({
      warranty_id: ctx.w1, type: 'REPAIR', status: 'PENDING',
      item: { product_id: SKU.A, sku: SKU.A, description: 'Mug', quantity: 1, unit_price: 12.5, currency: 'USD', condition: 'USED' },
      claim_description: 'handle loose', created_at: NOW(), updated_at: NOW(), status_history: [],
    }), hasId());
    ctx.claimB = r.result && r.result.id;
  }
  await call('warrantyItems', 'get', wi => wi.get(ctx.claimB), hasId(ctx.claimB));
  await call('warrantyItems', 'list', wi => wi.list({ warranty_id: ctx.w1 }), r => arrayHas(r && r.warranty_lines, ctx.claimB, 'warranty_lines'));
  await call('warrantyItems', 'update', wi => wi.update(ctx.claimB, { claim_description: 'handle loose and cracked' }),
    all(hasId(ctx.claimB), r => (r.data && r.data.claim_description === 'handle loose and cracked') || 'description not changed'));
  await call('warrantyItems', 'updateStatus', wi => wi.updateStatus(ctx.claimB, 'REJECTED', 'wear and tear'),
    all(hasId(ctx.claimB), r => (r.data && r.data.status === 'REJECTED') || `status ${r.data && r.data.status}`));
  await call('warrantyItems', 'getMetrics', wi => wi.getMetrics({ warranty_id: ctx.w1 }), isObj);
  await call('warrantyItems', 'delete', wi => wi.delete(ctx.claimA), async () => {
    const g = await nat('GET', `/warranties/${ctx.w1}`);
    const id = ctx.claimA && ctx.claimA.split('~')[1];
    const c = g.body && Array.isArray(g.body.claims) && g.body.claims.find(x => x.id === id);
    return (c && c.status === 'WITHDRAWN') || `claim ${id}: ${c ? c.status : 'missing'}`;
  });
  await call('warranties', 'getMetrics', w => w.getMetrics({ date_range: { from: YESTERDAY, to: TOMORROW } }), isObj);
  await call('warranties', 'update', w => w.update(ctx.w1, { type: 'EXTENDED' }), hasId(ctx.w1));
  await call('warranties', 'close', w => w.close(ctx.w1), withStatus('CLOSED', ctx.w1));
  await call('warranties', 'reopen', w => w.reopen(ctx.w1, 'the crack came back'), withStatus('REOPENED', ctx.w1));
  for (const k of ['w2', 'w3', 'w4']) {
    const w = await setup(`warranty ${k}`, c => c.warranties.create(warrantyBody(ctx.cus, ctx.o1)));
    ctx[k] = w && w.id;
  }
  await call('warranties', 'reject', w => w.reject(ctx.w2, 'not a manufacturing fault'), withStatus('REJECTED', ctx.w2));
  await call('warranties', 'cancel', w => w.cancel(ctx.w3, 'registered twice'), withStatus('CANCELLED', ctx.w3));

  // ---- order lines: on a pending order (one line); a second SKU added, edited, removed
  {
    const o8 = await pendingOrder('order for line edits', [[SKU.A, 1, 12.5]]);
    ctx.o8 = o8 && o8.id;
    ctx.o8line1 = o8 && `${o8.id}~${line1(o8)}`;
  }
  {
    const r = await call('orderItems', 'create', oi => oi.create({
      order_id: ctx.o8, type: 'PRODUCT', status: 'PENDING',
      item: { product_id: SKU.B, sku: SKU.B, name: 'Saucer', quantity: 1, unit_price: 3, currency: 'USD' },
      pricing: { subtotal: 3, total: 3 }, created_at: NOW(), updated_at: NOW(), status_history: [],
    }), all(hasId(), r => (r.data && r.data.order_id === ctx.o8) || 'order_id'));
    ctx.o8line2 = r.result && r.result.id;
  }
  await call('orderItems', 'get', oi => oi.get(ctx.o8line1), hasId(ctx.o8line1));
  await call('orderItems', 'list', oi => oi.list({ order_id: ctx.o8 }), r => arrayHas(r && r.order_lines, ctx.o8line2, 'order_lines'));
  await call('orderItems', 'update', oi => oi.update(ctx.o8line2, { item: { product_id: SKU.B, quantity: 3 } }),
    all(hasId(ctx.o8line2), r => (r.data && r.data.item && r.data.item.quantity === 3) || 'quantity not 3'));
  await call('orderItems', 'getMetrics', oi => oi.getMetrics({ order_id: ctx.o8 }), isObj);
  await call('orderItems', 'updateStatus', oi => oi.updateStatus(ctx.o8line1, 'CONFIRMED', 'stock checked'), hasId(ctx.o8line1));
  await call('orderItems', 'updateFulfillment', oi => oi.updateFulfillment(ctx.o8line1, { warehouse_id: ctx.wh, carrier: 'UPS' }), hasId(ctx.o8line1));
  await call('orderItems', 'delete', oi => oi.delete(ctx.o8line2), async () => {
    const g = await nat('GET', `/orders/${ctx.o8}`);
    const items = (g.body && g.body.items) || [];
    return (items.length === 1 && items[0].sku === SKU.A) || `order lines: ${items.map(i => i.sku).join(',')}`;
  });

  // ---- purchase orders: P1 with two lines through approval and receipt
  {
    const r = await call('purchaseorders', 'create', p => p.create(poBody(ctx.sup, [[SKU.C, 10, 1], [SKU.B, 10, 2]])),
      all(withStatus('DRAFT'), fetchable('/purchase_orders')));
    ctx.p1 = r.result && r.result.id;
  }
  await call('purchaseorders', 'get', p => p.get(ctx.p1), hasId(ctx.p1));
  await call('purchaseorders', 'update', p => p.update(ctx.p1, { expected_delivery_date: new Date(Date.now() + 15 * DAY).toISOString(), notes: 'dock 3' }), hasId(ctx.p1));
  await call('purchaseorders', 'addItem', p => p.addItem(ctx.p1, { item_id: SKU.P1, quantity: 5, unit_price: 1 }), async r => {
    const h = hasId(ctx.p1)(r);
    if (h !== true) return h;
    const g = await nat('GET', `/purchase_orders/${ctx.p1}`);
    return ((g.body.items || []).some(i => i.sku === SKU.P1)) || 'item not added';
  });
  await call('purchaseorders', 'removeItem', p => p.removeItem(ctx.p1, SKU.P1), async r => {
    const h = hasId(ctx.p1)(r);
    if (h !== true) return h;
    const g = await nat('GET', `/purchase_orders/${ctx.p1}`);
    return (!(g.body.items || []).some(i => i.sku === SKU.P1)) || 'item not removed';
  });
  await call('purchaseorders', 'list', p => p.list(), r => arrayHas(r, ctx.p1, 'purchase orders'));
  await call('purchaseorders', 'search', p => p.search(SKU.C), r => arrayHas(Array.isArray(r) ? r : r && (r.data || r.purchaseorders), ctx.p1, 'results'));
  await call('purchaseorders', 'count', p => p.count(), r => (r && r.count >= 1) || 'no count');
  await call('purchaseorders', 'exists', p => p.exists(ctx.p1), r => (r && r.exists === true) || 'exists is not true');
  await call('purchaseorders', 'iterate', p => drain(p.iterate()), r => arrayHas(r, ctx.p1, 'iterated'));
  await call('purchaseorders', 'collectAll', p => p.collectAll(), r => arrayHas(r, ctx.p1, 'collected'));
  await call('purchaseorders', 'submit', p => p.submit(ctx.p1), withStatus('SUBMITTED', ctx.p1));
  await call('purchaseorders', 'approve', p => p.approve(ctx.p1), withStatus('APPROVED', ctx.p1));
  {
    const g = await nat('GET', `/purchase_orders/${ctx.p1}`);
    const items = (g.body && g.body.items) || [];
    ctx.p1lineC = (items.find(i => i.sku === SKU.C) || {}).line_id;
    ctx.p1lineB = (items.find(i => i.sku === SKU.B) || {}).line_id;
    if (!ctx.p1lineC || !ctx.p1lineB) note(`SETUP FAILED: purchase order ${ctx.p1} line ids (${g.status})`);
  }
  {
    const r = await call('purchaseorders', 'bulkCreate', p => p.bulkCreate([poBody(ctx.sup, [[SKU.C, 1, 1]]), poBody(ctx.sup, [[SKU.B, 1, 2]])]),
      r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkPO = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('purchaseorders', 'bulkUpdate', p => p.bulkUpdate(ctx.bulkPO.map(id => ({ id, data: { notes: 'bulk edited' } }))),
    r => (r && r.succeeded === ctx.bulkPO.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('purchaseorders', 'bulkDelete', p => p.bulkDelete(ctx.bulkPO), r => (r && r.succeeded === ctx.bulkPO.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);

  // purchase order lines: on a draft P4
  {
    const p4 = await setup('draft purchase order', c => c.purchaseorders.create(poBody(ctx.sup, [[SKU.C, 4, 1]])));
    ctx.p4 = p4 && p4.id;
  }
  {
    const r = await call('purchaseorderItems', 'create', pi => pi.create({
      purchase_order_id: ctx.p4, item_id: SKU.B, quantity: 5, unit_price: 2, currency: 'USD', total_amount: 10, description: 'saucers', uom: 'each',
    }), all(hasId(), r => r.item_id === SKU.B || `item_id ${r.item_id}`));
    ctx.p4lineB = r.result && r.result.id;
  }
  await call('purchaseorderItems', 'get', pi => pi.get(ctx.p4lineB), hasId(ctx.p4lineB));
  await call('purchaseorderItems', 'list', pi => pi.list(ctx.p4), r => arrayHas(Array.isArray(r) ? r : r && r.line_items, ctx.p4lineB, 'line_items'));
  await call('purchaseorderItems', 'update', pi => pi.update(ctx.p4lineB, { quantity: 6, unit_price: 2, total_amount: 12 }),
    all(hasId(ctx.p4lineB), r => r.quantity === 6 || `quantity ${r.quantity}`));
  await call('purchaseorderItems', 'bulkCreate', pi => pi.bulkCreate(ctx.p4, [{ item_id: SKU.P2, quantity: 1, unit_price: 1, total_amount: 1 }]),
    r => (Array.isArray(r) && r.length === 1 && r[0].item_id === SKU.P2) || 'not the line created');
  await call('purchaseorderItems', 'delete', pi => pi.delete(ctx.p4lineB), async () => {
    const g = await nat('GET', `/purchase_orders/${ctx.p4}`);
    return (!(g.body.items || []).some(i => i.sku === SKU.B)) || 'line not removed';
  });

  // ---- ASNs of P1 (approved): A1 with both lines through delivery; A2 cancelled, A3 deleted, A4 for its lines
  {
    const r = await call('asns', 'create', a => a.create(asnBody(ctx.p1, [[ctx.p1lineC, 4], [ctx.p1lineB, 4]])), all(withStatus('DRAFT'), fetchable('/asns')));
    ctx.a1 = r.result && r.result.id;
  }
  await call('asns', 'get', a => a.get(ctx.a1), hasId(ctx.a1));
  await call('asns', 'list', a => a.list({ purchase_order_id: ctx.p1, limit: 50 }), r => arrayHas(r && r.asns, ctx.a1, 'asns'));
  await call('asns', 'update', a => a.update(ctx.a1, { tracking_number: uniq('1Z'), expected_delivery_date: new Date(Date.now() + 8 * DAY).toISOString() }), hasId(ctx.a1));
  await call('asns', 'updateShippingInfo', a => a.updateShippingInfo(ctx.a1, { carrier: 'FEDEX' }), all(hasId(ctx.a1), r => r.carrier === 'FEDEX' || `carrier ${r.carrier}`));
  await call('asns', 'addItem', a => a.addItem(ctx.a1, { purchase_order_item_id: ctx.p1lineC, quantity_shipped: 2 }), hasId(ctx.a1));
  await call('asns', 'removeItem', a => a.removeItem(ctx.a1, ctx.p1lineB),
    all(hasId(ctx.a1), r => (Array.isArray(r.items) && r.items.length === 1) || 'not one item left'));
  for (const k of ['a2', 'a3']) {
    const a = await setup(`asn ${k}`, c => c.asns.create(asnBody(ctx.p1, [[ctx.p1lineC, 1]])));
    ctx[k] = a && a.id;
  }
  {
    const a4 = await setup('asn for its lines', c => c.asns.create(asnBody(ctx.p1, [[ctx.p1lineC, 1]])));
    ctx.a4 = a4 && a4.id;
  }
  {
    const r = await call('asnItems', 'create', ai => ai.create({ asn_id: ctx.a4, purchase_order_line_item_id: ctx.p1lineC, quantity_shipped: 1, package_number: 'PKG-2' }),
      all(hasId(), r => r.quantity_shipped === 2 || `quantity_shipped ${r.quantity_shipped}`));
    ctx.a4lineC = r.result && r.result.id;
  }
  await call('asnItems', 'get', ai => ai.get(ctx.a4lineC), hasId(ctx.a4lineC));
  await call('asnItems', 'update', ai => ai.update(ctx.a4lineC, { quantity_shipped: 3 }), all(hasId(ctx.a4lineC), r => r.quantity_shipped === 3 || `quantity_shipped ${r.quantity_shipped}`));
  {
    const r = await call('asnItems', 'bulkCreate', ai => ai.bulkCreate(ctx.a4, [{ purchase_order_line_item_id: ctx.p1lineB, quantity_shipped: 1 }]),
      r => (Array.isArray(r) && r.length === 1 && Boolean(r[0].id)) || 'not the line created');
    ctx.a4lineB = r.result && r.result[0] && r.result[0].id;
  }
  await call('asnItems', 'list', ai => ai.list({ asn_id: ctx.a4 }), r => arrayHas(r && r.line_items, ctx.a4lineB, 'line_items'));
  await call('asnItems', 'delete', ai => ai.delete(ctx.a4lineB), async () => {
    const g = await nat('GET', `/asns/${ctx.a4}`);
    return ((g.body.items || []).length === 1) || `items: ${short(g.body.items)}`;
  });
  await call('asnItems', 'updateTrackingInfo', ai => ai.updateTrackingInfo(ctx.a4lineC, { tracking_number: uniq('1Z'), package_number: 'PKG-2' }), hasId(ctx.a4lineC));
  await call('asnItems', 'updateStatus', ai => ai.updateStatus(ctx.a4lineC, 'IN_TRANSIT', { notes: 'left the dock' }), hasId(ctx.a4lineC));
  await call('asnItems', 'getTrackingHistory', ai => ai.getTrackingHistory(ctx.a4lineC, { from_date: YESTERDAY }),
    r => ((Array.isArray(r) && r.length) || (r && Array.isArray(r.history) && r.history.length)) ? true : 'no history');
  await call('asns', 'submit', a => a.submit(ctx.a1), withStatus('SUBMITTED', ctx.a1));
  await call('asns', 'markInTransit', a => a.markInTransit(ctx.a1, { departure_date: NOW() }), withStatus('IN_TRANSIT', ctx.a1));
  await call('asns', 'getTracking', a => a.getTracking(ctx.a1), hasId(ctx.a1));
  await call('asns', 'markDelivered', a => a.markDelivered(ctx.a1, { delivery_date: NOW(), received_by: 'sam', delivery_notes: 'dock 3' }), withStatus('DELIVERED', ctx.a1));

  // receipts of P1: one line through its line item, then the rest
  await call('purchaseorderItems', 'updateQuantityReceived', pi => pi.updateQuantityReceived(`${ctx.p1}~${ctx.p1lineC}`, 4),
    r => (r && r.quantity_received === 4) || `quantity_received ${r && r.quantity_received}`);
  await call('purchaseorders', 'receive', p => p.receive(ctx.p1, [{ item_id: SKU.C, quantity_received: 6 }, { item_id: SKU.B, quantity_received: 10 }]),
    withStatus('RECEIVED', ctx.p1));

  // ---- bills of materials: B1 edited as a draft, activated (the work orders build it)
  {
    const r = await call('billofmaterials', 'create', b => b.create(bomBody(SKU.KIT, 'Kit')), all(withStatus('DRAFT'), fetchable('/bill_of_materials')));
    ctx.b1 = r.result && r.result.id;
  }
  await call('billofmaterials', 'get', b => b.get(ctx.b1), hasId(ctx.b1));
  await call('billofmaterials', 'update', b => b.update(ctx.b1, { name: 'Kit, boxed' }), all(hasId(ctx.b1), r => r.name === 'Kit, boxed' || `name ${r.name}`));
  await call('billofmaterials', 'addComponent', b => b.addComponent(ctx.b1, { item_id: SKU.P2, quantity: 1, unit_cost: 0.5, type: 'packaging' }),
    all(hasId(ctx.b1), r => (r.components || []).length === 2 || 'not two components'));
  await call('billofmaterials', 'updateComponent', b => b.updateComponent(ctx.b1, SKU.P2, { quantity: 3 }),
    all(hasId(ctx.b1), r => (r.components || []).some(c => c.item_id === SKU.P2 && c.quantity === 3) || 'quantity not 3'));
  await call('billofmaterials', 'removeComponent', b => b.removeComponent(ctx.b1, SKU.P2),
    all(hasId(ctx.b1), r => (r.components || []).length === 1 || 'not one component'));
  await call('billofmaterials', 'setActive', b => b.setActive(ctx.b1), withStatus('ACTIVE', ctx.b1));
  await call('billofmaterials', 'list', b => b.list({ product_id: SKU.KIT }), r => arrayHas(r && r.boms, ctx.b1, 'boms'));
  await call('billofmaterials', 'validateBOM', b => b.validateBOM(ctx.b1), r => (r && r.valid === true) || 'not valid');
  await call('billofmaterials', 'calculateTotalCost', b => b.calculateTotalCost(ctx.b1), r => (r && typeof r.total_cost === 'number') || 'no total_cost');
  await call('billofmaterials', 'getVersionHistory', b => b.getVersionHistory(ctx.b1),
    r => ((Array.isArray(r) && r.length) || (r && Array.isArray(r.versions) && r.versions.length)) ? true : 'no versions');
  await call('billofmaterials', 'export', b => b.export(ctx.b1, 'json'), r => (r && typeof r === 'object') || 'not an object');
  // a revision of its own BOM (KIT-4), so that B1 stays the active BOM work orders are made
  // from. StateSet One never edits an active BOM: startRevision answers a new DRAFT (its own
  // id, the next revision of the same product), completeRevision of the BOM revised makes
  // that draft the active one (docs/API.md, compatibility table).
  {
    const b4 = await setup('bom to revise', async c => { const b = await c.billofmaterials.create(bomBody(`${SKU.KIT}-4`, 'Kit 4')); await c.billofmaterials.setActive(b.id); return b; });
    ctx.b4 = b4 && b4.id;
  }
  await call('billofmaterials', 'startRevision', b => b.startRevision(ctx.b4, 'new box'),
    r => (r && r.id && r.id !== ctx.b4 && r.status === 'DRAFT' && r.product_id === `${SKU.KIT}-4`) || `not a draft revision: ${JSON.stringify(r).slice(0, 200)}`);
  await call('billofmaterials', 'completeRevision', b => b.completeRevision(ctx.b4),
    r => (r && r.status === 'ACTIVE' && r.product_id === `${SKU.KIT}-4` && r.id !== ctx.b4) || `revision not active: ${JSON.stringify(r).slice(0, 200)}`);
  {
    const b2 = await setup('bom to obsolete', async c => { const b = await c.billofmaterials.create(bomBody(`${SKU.KIT}-2`, 'Kit 2')); await c.billofmaterials.setActive(b.id); return b; });
    ctx.b2 = b2 && b2.id;
    const b3 = await setup('bom to delete', c => c.billofmaterials.create(bomBody(`${SKU.KIT}-3`, 'Kit 3')));
    ctx.b3 = b3 && b3.id;
  }
  await call('billofmaterials', 'setObsolete', b => b.setObsolete(ctx.b2), withStatus('OBSOLETE', ctx.b2));

  // ---- work orders of B1 at the warehouse: WO1 through its life; WO2 cancelled, WO3 deleted
  {
    const r = await call('workorders', 'create', w => w.create(workorderBody(ctx.b1, ctx.wh, 'assemble kits')), all(hasId(), fetchable('/work_orders')));
    ctx.wo1 = r.result && r.result.id;
  }
  await call('workorders', 'get', w => w.get(ctx.wo1), hasId(ctx.wo1));
  await call('workorders', 'list', w => w.list({ asset_id: ctx.b1, limit: 50 }), r => arrayHas(r && r.workorders, ctx.wo1, 'workorders'));
  await call('workorders', 'update', w => w.update(ctx.wo1, { priority: 'CRITICAL' }), hasId(ctx.wo1));
  await call('workorders', 'assignWorker', w => w.assignWorker(ctx.wo1, 'tina'), hasId(ctx.wo1));
  await call('workorders', 'addNote', w => w.addNote(ctx.wo1, 'parts staged'), hasId(ctx.wo1));
  await call('workorders', 'startWork', w => w.startWork(ctx.wo1), withStatus('IN_PROGRESS', ctx.wo1));
  await call('workorders', 'putOnHold', w => w.putOnHold(ctx.wo1, { reason: 'waiting on a jig', estimated_resume_date: TOMORROW.toISOString() }), withStatus('ON_HOLD', ctx.wo1));
  await call('workorders', 'resumeWork', w => w.resumeWork(ctx.wo1), withStatus('IN_PROGRESS', ctx.wo1));
  await call('workorders', 'updateTask', w => w.updateTask(ctx.wo1, 't1', { status: 'IN_PROGRESS' }), hasId(ctx.wo1));
  await call('workorders', 'completeTask', w => w.completeTask(ctx.wo1, 't1', { actual_duration: 25, notes: 'done' }), hasId(ctx.wo1));
  await call('workorders', 'assignResource', w => w.assignResource(ctx.wo1, { id: 'r1', type: 'WORKER', name: 'Tina', cost: { currency: 'USD' }, status: 'ASSIGNED' }), hasId(ctx.wo1));
  await call('workorders', 'submitQualityCheck', w => w.submitQualityCheck(ctx.wo1, [{ parameter: 'torque', specification: '5 Nm', measurement: '5 Nm', result: 'PASS' }]), hasId(ctx.wo1));
  // work order lines (its BOM's components)
  {
    const r = await call('workorderItems', 'list', wi => wi.list({ work_order_id: ctx.wo1 }),
      r => (r && Array.isArray(r.work_order_lines) && r.work_order_lines.length > 0) || 'no lines');
    ctx.wo1line = r.result && r.result.work_order_lines && r.result.work_order_lines[0] && r.result.work_order_lines[0].id;
  }
  await call('workorderItems', 'get', wi => wi.get(ctx.wo1line), hasId(ctx.wo1line));
  await call('workorderItems', 'getMetrics', wi => wi.getMetrics({ work_order_id: ctx.wo1 }), isObj);
  await call('workorderItems', 'create', wi => wi.create({
    work_order_id: ctx.wo1, type: 'PART', status: 'PENDING',
    item: { item_id: SKU.P2, description: 'box', quantity: 1, unit_of_measure: 'each', unit_cost: 1, total_cost: 1, currency: 'USD' },
    cost_details: { estimated_cost: 1, currency: 'USD' }, created_at: NOW(), updated_at: NOW(), status_history: [],
  }), hasId());
  await call('workorderItems', 'update', wi => wi.update(ctx.wo1line, { item: { item_id: SKU.P1, quantity: 5 } }), hasId(ctx.wo1line));
  await call('workorderItems', 'updateStatus', wi => wi.updateStatus(ctx.wo1line, 'IN_PROGRESS', 'picked'), hasId(ctx.wo1line));
  await call('workorderItems', 'recordExecution', wi => wi.recordExecution(ctx.wo1line, { started_at: NOW(), performed_by: 'tina' }), hasId(ctx.wo1line));
  await call('workorderItems', 'submitQualityCheck', wi => wi.submitQualityCheck(ctx.wo1line, { parameter: 'fit', expected_value: 'snug', actual_value: 'snug', passed: true }), hasId(ctx.wo1line));
  await call('workorderItems', 'delete', wi => wi.delete(ctx.wo1line), () => true);
  await call('workorders', 'completeWork', w => w.completeWork(ctx.wo1, { notes: 'two kits built', actual_duration: 50 }), withStatus('COMPLETED', ctx.wo1));
  await call('workorders', 'getMetrics', w => w.getMetrics({ group_by: 'DAY' }), isObj);
  for (const k of ['wo2', 'wo3']) {
    const w = await setup(`work order ${k}`, c => c.workorders.create(workorderBody(ctx.b1, ctx.wh, `work order ${k}`)));
    ctx[k] = w && w.id;
  }
  await call('workorders', 'cancelWork', w => w.cancelWork(ctx.wo2, { reason: 'not needed', notes: 'duplicate' }), withStatus('CANCELLED', ctx.wo2));

  // ---- warehouses (the rest)
  await call('warehouses', 'get', w => w.get(ctx.wh), hasId(ctx.wh));
  await call('warehouses', 'update', w => w.update(ctx.wh, { name: 'Sweep DC East' }), all(hasId(ctx.wh), r => r.name === 'Sweep DC East' || `name ${r.name}`));
  await call('warehouses', 'list', w => w.list({ status: 'ACTIVE' }), r => arrayHas(r, ctx.wh, 'warehouses'));
  await call('warehouses', 'addZone', w => w.addZone(ctx.wh, zone('B1', 'picking', 'bin_shelving')),
    all(hasId(ctx.wh), r => (r.zones || []).some(z => z.id === 'B1') || 'zone not added'));
  await call('warehouses', 'getInventory', w => w.getInventory(ctx.wh, { status: 'in_stock' }), r => arrayHas(r, ctx.invA, 'inventory'));
  await call('warehouses', 'getMetrics', w => w.getMetrics(ctx.wh, { start_date: YESTERDAY, end_date: TOMORROW }), isObj);
  await call('warehouses', 'search', w => w.search('Sweep DC East'), r => arrayHas(r && r.warehouses, ctx.wh, 'warehouses'));
  await call('warehouses', 'count', w => w.count(), r => (r && r.count >= 1) || 'no count');
  await call('warehouses', 'exists', w => w.exists(ctx.wh), r => (r && r.exists === true) || 'exists is not true');
  await call('warehouses', 'iterate', w => drain(w.iterate()), r => arrayHas(r, ctx.wh, 'iterated'));
  await call('warehouses', 'collectAll', w => w.collectAll(), r => arrayHas(r, ctx.wh, 'collected'));
  {
    const r = await call('warehouses', 'bulkCreate', w => w.bulkCreate([warehouseBody('Bulk DC 1'), warehouseBody('Bulk DC 2')]),
      r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkWH = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('warehouses', 'bulkUpdate', w => w.bulkUpdate(ctx.bulkWH.map(id => ({ id, data: { name: 'Bulk DC, renamed' } }))),
    r => (r && r.succeeded === ctx.bulkWH.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('warehouses', 'bulkDelete', w => w.bulkDelete(ctx.bulkWH), r => (r && r.succeeded === ctx.bulkWH.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('warehouses', 'updateEquipmentStatus', w => w.updateEquipmentStatus(ctx.wh, 'forklift-1', 'maintenance'), isObj);
  await call('warehouses', 'assignStaffToZone', w => w.assignStaffToZone(ctx.wh, 'staff-1', 'A1'), isObj);

  // ---- picks: of a confirmed order at the warehouse
  {
    const o5 = await confirmedOrder('order to pick', 3);
    ctx.o5 = o5 && o5.id;
    const r = await call('picks', 'create', p => p.create(pickBody(ctx.wh, [ctx.o5], 3)), all(hasId(), fetchable('/pick_lists')));
    ctx.pk1 = r.result && r.result.id;
  }
  await call('picks', 'get', p => p.get(ctx.pk1), hasId(ctx.pk1));
  await call('picks', 'list', p => p.list({ warehouse_id: ctx.wh, limit: 50 }), r => arrayHas(r && r.picks, ctx.pk1, 'picks'));
  await call('picks', 'update', p => p.update(ctx.pk1, { priority: 'URGENT' }), all(hasId(ctx.pk1), r => r.priority === 'URGENT' || `priority ${r.priority}`));
  await call('picks', 'optimizeRoute', p => p.optimizeRoute(ctx.pk1, { algorithm: 'SHORTEST_PATH' }), isObj);
  await call('picks', 'start', p => p.start(ctx.pk1, { picker_id: 'sam', start_time: NOW() }), withStatus('IN_PROGRESS', ctx.pk1));
  await call('picks', 'recordItemPick', p => p.recordItemPick(ctx.pk1, { item_id: SKU.A, quantity_picked: 3 }), hasId(ctx.pk1));
  await call('picks', 'completeQualityCheck', p => p.completeQualityCheck(ctx.pk1, {
    checker_id: 'kim', checked_at: NOW(), items: [{ item_id: SKU.A, passed: true }], status: 'PASSED',
  }), all(hasId(ctx.pk1), r => ((r.checks || [])[0] || {}).status === 'PASSED' || `checks ${JSON.stringify(r.checks)}`));
  await call('picks', 'complete', p => p.complete(ctx.pk1, { end_time: NOW(), notes: ['all picked'] }), withStatus('COMPLETED', ctx.pk1));
  await call('picks', 'getMetrics', p => p.getMetrics(ctx.pk1), r => (r && r.units_picked === 3) || `units_picked ${r && r.units_picked}`);

  // ---- shipments: of a confirmed order
  {
    const o7 = await confirmedOrder('order to ship', 2);
    ctx.o7 = o7 && o7.id;
    ctx.o7line = line1(o7);
    const r = await call('shipments', 'create', s => s.create({
      order_id: ctx.o7, customer_id: ctx.cus, carrier: 'UPS', service_level: 'GROUND', shipping_address: shipAddress,
      items: [{ item_id: SKU.A, order_item_id: ctx.o7line, quantity: 2, sku: SKU.A, description: 'Mug' }],
      packages: [], delivery_requirements: { signature_required: false },
    }), all(hasId(), fetchable('/shipments')));
    ctx.sh1 = r.result && r.result.id;
  }
  await call('shipments', 'list', s => s.list({ order_id: ctx.o7, limit: 50 }), r => arrayHas(r && r.shipments, ctx.sh1, 'shipments'));
  await call('shipments', 'update', s => s.update(ctx.sh1, { carrier: 'FEDEX' }), all(hasId(ctx.sh1), r => r.carrier === 'FEDEX' || `carrier ${r.carrier}`));
  await call('shipments', 'addPackage', s => s.addPackage(ctx.sh1, { type: 'BOX_SMALL', weight: { value: 2, unit: 'lb' }, dimensions: { length: 10, width: 8, height: 4, unit: 'in' }, items: [SKU.A] }),
    all(hasId(ctx.sh1), r => (r.packages || []).length === 1 || 'no package'));
  await call('shipments', 'getTrackingDetails', s => s.getTrackingDetails(ctx.sh1, { include_full_history: true }), isObj);
  await call('shipments', 'getMetrics', s => s.getMetrics({ group_by: 'day' }), isObj);
  await call('shipments', 'getRates', s => s.getRates({ order_id: ctx.o7, customer_id: ctx.cus, shipping_address: shipAddress, items: [], packages: [] }), isObj);
  await call('shipments', 'generateLabel', s => s.generateLabel(ctx.sh1, { format: 'PDF', test_label: true }), isObj);
  await call('shipments', 'generateReturnLabel', s => s.generateReturnLabel(ctx.sh1, { reason: 'damaged' }), isObj);
  // shipment lines
  {
    const r = await call('shipmentItems', 'list', si => si.list({ shipment_id: ctx.sh1 }),
      r => (r && Array.isArray(r.shipment_lines) && r.shipment_lines.length > 0) || 'no lines');
    ctx.sh1line = r.result && r.result.shipment_lines && r.result.shipment_lines[0] && r.result.shipment_lines[0].id;
  }
  await call('shipmentItems', 'get', si => si.get(ctx.sh1line), hasId(ctx.sh1line));
  await call('shipmentItems', 'getMetrics', si => si.getMetrics({ shipment_id: ctx.sh1 }), isObj);
  await call('shipmentItems', 'updateTracking', si => si.updateTracking(ctx.sh1line, { number: uniq('1Z'), carrier: 'UPS' }),
    all(hasId(ctx.sh1line), r => (r.data && r.data.tracking && r.data.tracking.carrier === 'UPS') || 'tracking not changed'));
  await call('shipmentItems', 'create', si => si.create({
    shipment_id: ctx.sh1, type: 'PRODUCT', status: 'PENDING',
    item: { item_id: SKU.B, sku: SKU.B, description: 'Saucer', quantity: 1, unit_of_measure: 'each', weight: { value: 1, unit: 'LB' }, value: 3, currency: 'USD' },
    created_at: NOW(), updated_at: NOW(), status_history: [],
  }), hasId());
  await call('shipmentItems', 'update', si => si.update(ctx.sh1line, { package_id: 'PKG-1' }), hasId(ctx.sh1line));
  await call('shipmentItems', 'updateStatus', si => si.updateStatus(ctx.sh1line, 'PACKED', 'boxed'), hasId(ctx.sh1line));
  await call('shipmentItems', 'delete', si => si.delete(ctx.sh1line), () => true);

  // ---- cycle counts of the counted SKU (nothing reserves it)
  {
    const r = await call('cycleCounts', 'create', cc => cc.create(cycleCountBody(ctx.wh, dateOnly(Date.now() + DAY))), all(withStatus('PENDING'), fetchable('/cycle_counts')));
    ctx.cc1 = r.result && r.result.id;
  }
  await call('cycleCounts', 'get', cc => cc.get(ctx.cc1), hasId(ctx.cc1));
  await call('cycleCounts', 'update', cc => cc.update(ctx.cc1, { scheduled_date: dateOnly(Date.now() + 2 * DAY) }), withStatus('PENDING', ctx.cc1));
  await call('cycleCounts', 'list', cc => cc.list(), r => arrayHas(r, ctx.cc1, 'cycle counts'));
  await call('cycleCounts', 'search', cc => cc.search(SKU.CC), r => arrayHas(Array.isArray(r) ? r : r && r.data, ctx.cc1, 'results'));
  await call('cycleCounts', 'count', cc => cc.count(), r => (r && r.count >= 1) || 'no count');
  await call('cycleCounts', 'exists', cc => cc.exists(ctx.cc1), r => (r && r.exists === true) || 'exists is not true');
  await call('cycleCounts', 'iterate', cc => drain(cc.iterate()), r => arrayHas(r, ctx.cc1, 'iterated'));
  await call('cycleCounts', 'collectAll', cc => cc.collectAll(), r => arrayHas(r, ctx.cc1, 'collected'));
  await call('cycleCounts', 'start', cc => cc.start(ctx.cc1), withStatus('IN_PROGRESS', ctx.cc1));
  await call('cycleCounts', 'complete', cc => cc.complete(ctx.cc1, { counted_items: [{ item_id: SKU.CC, actual_quantity: 19 }] }), withStatus('COMPLETED', ctx.cc1));
  await call('cycleCounts', 'getDiscrepancies', cc => cc.getDiscrepancies(ctx.cc1), isObj);
  await call('cycleCounts', 'reconcile', cc => cc.reconcile(ctx.cc1), withStatus('RECONCILED', ctx.cc1));
  {
    const r = await call('cycleCounts', 'bulkCreate', cc => cc.bulkCreate([cycleCountBody(ctx.wh, TODAY), cycleCountBody(ctx.wh, TODAY)]),
      r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkCC = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('cycleCounts', 'bulkUpdate', cc => cc.bulkUpdate(ctx.bulkCC.map(id => ({ id, data: { scheduled_date: dateOnly(Date.now() + 3 * DAY) } }))),
    r => (r && r.succeeded === ctx.bulkCC.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('cycleCounts', 'bulkDelete', cc => cc.bulkDelete(ctx.bulkCC), r => (r && r.succeeded === ctx.bulkCC.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);

  // ---- leads
  {
    const r = await call('leads', 'create', l => l.create(leadBody('Grace', 'Hopper')), all(withStatus('NEW'), fetchable('/leads')));
    ctx.lead = r.result && r.result.id;
  }
  await call('leads', 'get', l => l.get(ctx.lead), hasId(ctx.lead));
  await call('leads', 'update', l => l.update(ctx.lead, { company: 'USN', title: 'Rear Admiral', status: 'CONTACTED' }), withStatus('CONTACTED', ctx.lead));
  await call('leads', 'list', l => l.list({ limit: 100 }), r => arrayHas(r && r.data, ctx.lead, 'data'));
  await call('leads', 'search', l => l.search('Hopper'), r => arrayHas(r && r.data, ctx.lead, 'data'));
  await call('leads', 'count', l => l.count(), r => (r && r.count >= 1) || 'no count');
  await call('leads', 'exists', l => l.exists(ctx.lead), r => (r && r.exists === true) || 'exists is not true');
  await call('leads', 'iterate', l => drain(l.iterate({ limit: 100 })), r => arrayHas(r, ctx.lead, 'iterated'));
  await call('leads', 'collectAll', l => l.collectAll({ limit: 100 }), r => arrayHas(r, ctx.lead, 'collected'));
  {
    const r = await call('leads', 'bulkCreate', l => l.bulkCreate([leadBody('Ann', 'One'), leadBody('Al', 'Two')]), r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkLead = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('leads', 'bulkUpdate', l => l.bulkUpdate(ctx.bulkLead.map(id => ({ id, data: { company: 'Bulk Co' } }))),
    r => (r && r.succeeded === ctx.bulkLead.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('leads', 'bulkDelete', l => l.bulkDelete(ctx.bulkLead), r => (r && r.succeeded === ctx.bulkLead.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);

  // ---- contacts (of the customer)
  {
    const r = await call('contacts', 'create', c => c.create(contactBody(ctx.cus, 'Ada', 'Byron')), fetchable('/contacts'));
    ctx.con = r.result && r.result.id;
  }
  await call('contacts', 'get', c => c.get(ctx.con), hasId(ctx.con));
  await call('contacts', 'update', c => c.update(ctx.con, { job_title: 'Head of purchasing', phone: '+1 555 0131' }),
    all(hasId(ctx.con), r => (r.data && r.data.job_title === 'Head of purchasing') || `job_title ${r.data && r.data.job_title}`));
  await call('contacts', 'list', c => c.list({ entity_id: ctx.cus, limit: 100 }), r => arrayHas(r && r.contacts, ctx.con, 'contacts'));
  await call('contacts', 'search', c => c.search('Byron'), r => arrayHas(r && r.contacts, ctx.con, 'contacts'));
  await call('contacts', 'count', c => c.count(), r => (r && r.count >= 1) || 'no count');
  await call('contacts', 'exists', c => c.exists(ctx.con), r => (r && r.exists === true) || 'exists is not true');
  await call('contacts', 'iterate', c => drain(c.iterate({ entity_id: ctx.cus })), r => arrayHas(r, ctx.con, 'iterated'));
  await call('contacts', 'collectAll', c => c.collectAll({ entity_id: ctx.cus }), r => arrayHas(r, ctx.con, 'collected'));
  await call('contacts', 'setPrimary', c => c.setPrimary(ctx.con), hasId(ctx.con));
  {
    const r = await call('contacts', 'bulkCreate', c => c.bulkCreate([contactBody(ctx.cus, 'Cy', 'One'), contactBody(ctx.cus, 'Cal', 'Two')]),
      r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkCon = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('contacts', 'bulkUpdate', c => c.bulkUpdate(ctx.bulkCon.map(id => ({ id, data: { job_title: 'Bulk buyer' } }))),
    r => (r && r.succeeded === ctx.bulkCon.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('contacts', 'bulkDelete', c => c.bulkDelete(ctx.bulkCon), r => (r && r.succeeded === ctx.bulkCon.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);

  // ---- opportunities (on the customer and the lead)
  {
    const r = await call('opportunities', 'create', o => o.create(opportunityBody(ctx.lead, ctx.cus, 'Big deal')), fetchable('/opportunities'));
    ctx.opp = r.result && r.result.id;
  }
  await call('opportunities', 'get', o => o.get(ctx.opp), hasId(ctx.opp));
  await call('opportunities', 'update', o => o.update(ctx.opp, { status: 'QUALIFIED', probability: 60, amount: 1750 }),
    all(hasId(ctx.opp), r => (r.data && r.data.status === 'QUALIFIED') || `status ${r.data && r.data.status}`));
  await call('opportunities', 'list', o => o.list({ customer_id: ctx.cus, limit: 100 }), r => arrayHas(r && r.opportunities, ctx.opp, 'opportunities'));
  await call('opportunities', 'search', o => o.search('Big deal'), r => arrayHas(r && r.opportunities, ctx.opp, 'opportunities'));
  await call('opportunities', 'count', o => o.count(), r => (r && r.count >= 1) || 'no count');
  await call('opportunities', 'exists', o => o.exists(ctx.opp), r => (r && r.exists === true) || 'exists is not true');
  await call('opportunities', 'iterate', o => drain(o.iterate({ customer_id: ctx.cus })), r => arrayHas(r, ctx.opp, 'iterated'));
  await call('opportunities', 'collectAll', o => o.collectAll({ customer_id: ctx.cus }), r => arrayHas(r, ctx.opp, 'collected'));
  {
    const r = await call('opportunities', 'bulkCreate', o => o.bulkCreate([opportunityBody(ctx.lead, ctx.cus, 'Bulk deal 1'), opportunityBody(ctx.lead, ctx.cus, 'Bulk deal 2')]),
      r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkOpp = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('opportunities', 'bulkUpdate', o => o.bulkUpdate(ctx.bulkOpp.map(id => ({ id, data: { probability: 20 } }))),
    r => (r && r.succeeded === ctx.bulkOpp.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('opportunities', 'bulkDelete', o => o.bulkDelete(ctx.bulkOpp), r => (r && r.succeeded === ctx.bulkOpp.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('opportunities', 'convertToCustomer', o => o.convertToCustomer(ctx.opp, ctx.cus),
    all(hasId(ctx.opp), r => (r.data && r.data.status === 'WON') || `status ${r.data && r.data.status}`));

  // ---- cases
  {
    const r = await call('casesTickets', 'create', c => c.create(caseBody(ctx.cus, ctx.o1, 'Broken mug')), fetchable('/cases'));
    ctx.case = r.result && r.result.id;
  }
  await call('casesTickets', 'get', c => c.get(ctx.case), hasId(ctx.case));
  await call('casesTickets', 'list', c => c.list({ customer_id: ctx.cus, limit: 100 }), r => arrayHas(r && r.cases_tickets, ctx.case, 'cases_tickets'));
  await call('casesTickets', 'search', c => c.search('cracked', { status: 'OPEN' }), r => arrayHas(r && r.cases_tickets, ctx.case, 'cases_tickets'));
  await call('casesTickets', 'count', c => c.count(), r => (r && r.count >= 1) || 'no count');
  await call('casesTickets', 'exists', c => c.exists(ctx.case), r => (r && r.exists === true) || 'exists is not true');
  await call('casesTickets', 'iterate', c => drain(c.iterate({ customer_id: ctx.cus })), r => arrayHas(r, ctx.case, 'iterated'));
  await call('casesTickets', 'collectAll', c => c.collectAll({ customer_id: ctx.cus }), r => arrayHas(r, ctx.case, 'collected'));
  await call('casesTickets', 'assign', c => c.assign(ctx.case, 'sam'), all(hasId(ctx.case), r => (r.data && r.data.assigned_to === 'sam') || `assigned_to ${r.data && r.data.assigned_to}`));
  await call('casesTickets', 'addNote', c => c.addNote(ctx.case, 'sent a replacement'), hasId(ctx.case));
  await call('casesTickets', 'listNotes', c => c.listNotes(ctx.case), r => (Array.isArray(r) && r.length > 0) || 'no notes');
  await call('casesTickets', 'update', c => c.update(ctx.case, { description: 'arrived cracked, two of them' }), hasId(ctx.case));
  await call('casesTickets', 'escalate', c => c.escalate(ctx.case, 'CRITICAL'), all(hasId(ctx.case), r => (r.data && r.data.priority === 'URGENT') || `priority ${r.data && r.data.priority}`));
  await call('casesTickets', 'resolve', c => c.resolve(ctx.case, 'replaced'), all(hasId(ctx.case), r => (r.data && r.data.status === 'RESOLVED') || `status ${r.data && r.data.status}`));
  await call('casesTickets', 'close', c => c.close(ctx.case), all(hasId(ctx.case), r => (r.data && r.data.status === 'CLOSED') || `status ${r.data && r.data.status}`));
  await call('casesTickets', 'reopen', c => c.reopen(ctx.case, 'still broken'), all(hasId(ctx.case), r => (r.data && r.data.status === 'IN_PROGRESS') || `status ${r.data && r.data.status}`));
  {
    const r = await call('casesTickets', 'bulkCreate', c => c.bulkCreate([caseBody(ctx.cus, ctx.o1, 'Bulk case 1'), caseBody(ctx.cus, ctx.o1, 'Bulk case 2')]),
      r => (r && r.succeeded === 2) || `succeeded ${r && r.succeeded}`);
    ctx.bulkCase = ((r.result && r.result.results) || []).map(x => x.id).filter(Boolean);
  }
  await call('casesTickets', 'bulkUpdate', c => c.bulkUpdate(ctx.bulkCase.map(id => ({ id, data: { priority: 'LOW' } }))),
    r => (r && r.succeeded === ctx.bulkCase.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);
  await call('casesTickets', 'bulkDelete', c => c.bulkDelete(ctx.bulkCase), r => (r && r.succeeded === ctx.bulkCase.length && r.failed === 0) || `succeeded ${r && r.succeeded}`);

  // ---------------------------------------------------------------------------------------
  // Destructive calls, last, each on an object of its own.
  {
    const c = await setup('customer to delete', c => c.customers.create(customerBody('Del', 'Eted')));
    await call('customers', 'delete', cu => cu.delete(c && c.id), nativeStatus(`/customers/${c && c.id}`, 'ARCHIVED'));
  }
  {
    const o3 = await pendingOrder('order to cancel', [[SKU.A, 1, 12.5]]);
    await call('orders', 'cancel', o => o.cancel(o3 && o3.id, { reason: 'customer request' }), withStatus('CANCELLED', o3 && o3.id));
    const o4 = await pendingOrder('order to delete', [[SKU.A, 1, 12.5]]);
    await call('orders', 'delete', o => o.delete(o4 && o4.id), nativeStatus(`/orders/${o4 && o4.id}`, 'CANCELLED'));
  }
  await call('warranties', 'delete', w => w.delete(ctx.w4), nativeStatus(`/warranties/${ctx.w4}`, 'CANCELLED'));
  await call('inventory', 'delete', i => i.delete(ctx.invB), () => true);
  {
    const s2 = await setup('supplier to delete', c => c.suppliers.create(supplierBody('Defunct Supply')));
    await call('suppliers', 'delete', s => s.delete(s2 && s2.id), nativeStatus(`/suppliers/${s2 && s2.id}`, 'INACTIVE'));
  }
  {
    const p2 = await setup('purchase order to cancel', c => c.purchaseorders.create(poBody(ctx.sup, [[SKU.C, 2, 1]])));
    await call('purchaseorders', 'cancel', p => p.cancel(p2 && p2.id), withStatus('CANCELLED', p2 && p2.id));
    const p3 = await setup('purchase order to delete', c => c.purchaseorders.create(poBody(ctx.sup, [[SKU.C, 2, 1]])));
    await call('purchaseorders', 'delete', p => p.delete(p3 && p3.id), nativeStatus(`/purchase_orders/${p3 && p3.id}`, 'CANCELLED'));
  }
  await call('asns', 'cancel', a => a.cancel(ctx.a2, { reason: 'shipped another way' }), withStatus('CANCELLED', ctx.a2));
  await call('asns', 'delete', a => a.delete(ctx.a3), nativeStatus(`/asns/${ctx.a3}`, 'CANCELLED'));
  await call('billofmaterials', 'delete', b => b.delete(ctx.b3), nativeStatus(`/bill_of_materials/${ctx.b3}`, 'OBSOLETE'));
  await call('workorders', 'delete', w => w.delete(ctx.wo3), nativeStatus(`/work_orders/${ctx.wo3}`, 'CANCELLED'));
  {
    const wd = await setup('warehouse to delete', c => c.warehouses.create(warehouseBody('Closing DC')));
    await call('warehouses', 'delete', w => w.delete(wd && wd.id), nativeStatus(`/warehouses/${wd && wd.id}`, 'INACTIVE'));
  }
  {
    const o6 = await confirmedOrder('order for a pick to delete', 1);
    const pk2 = await setup('pick to delete', c => c.picks.create(pickBody(ctx.wh, [o6 && o6.id], 1)));
    await call('picks', 'delete', p => p.delete(pk2 && pk2.id), nativeStatus(`/pick_lists/${pk2 && pk2.id}`, 'CANCELLED'));
  }
  {
    const cc2 = await setup('cycle count to cancel', c => c.cycleCounts.create(cycleCountBody(ctx.wh, TODAY)));
    await call('cycleCounts', 'cancel', cc => cc.cancel(cc2 && cc2.id), hasId(cc2 && cc2.id));
    const cc3 = await setup('cycle count to delete', c => c.cycleCounts.create(cycleCountBody(ctx.wh, TODAY)));
    await call('cycleCounts', 'delete', cc => cc.delete(cc3 && cc3.id), nativeStatus(`/cycle_counts/${cc3 && cc3.id}`, 'CANCELLED'));
  }
  {
    const l2 = await setup('lead to delete', c => c.leads.create(leadBody('Del', 'Lead')));
    await call('leads', 'delete', l => l.delete(l2 && l2.id), withStatus('DISQUALIFIED', l2 && l2.id));
  }
  {
    const c2 = await setup('contact to delete', c => c.contacts.create(contactBody(ctx.cus, 'Del', 'Contact')));
    await call('contacts', 'delete', c => c.delete(c2 && c2.id), nativeStatus(`/contacts/${c2 && c2.id}`, 'ARCHIVED'));
  }
  {
    const o2 = await setup('opportunity to delete', c => c.opportunities.create(opportunityBody(ctx.lead, ctx.cus, 'Lost deal')));
    await call('opportunities', 'delete', o => o.delete(o2 && o2.id), nativeStatus(`/opportunities/${o2 && o2.id}`, 'LOST'));
  }
  {
    const k2 = await setup('case to delete', c => c.casesTickets.create(caseBody(ctx.cus, ctx.o1, 'Duplicate')));
    await call('casesTickets', 'delete', c => c.delete(k2 && k2.id), nativeStatus(`/cases/${k2 && k2.id}`, 'CLOSED'));
  }

  // ---------------------------------------------------------------------------------------
  const missing = [...expected.keys()].filter(k => !called.has(k));
  for (const k of missing) note(`HARNESS: ${k} was never called`);
  const M = expected.size;
  const pct = M ? (100 * counts.ok / M).toFixed(1) : '0.0';
  emit(`TOTAL ok=${counts.ok}/${M} (${pct}%) 501=${counts['501']} 5xx=${counts['5xx']} 404route=${counts['404-route']} 4xx=${counts['4xx']} threw=${counts['sdk-threw']} unusable=${counts.unusable}`);
  return missing.length ? 3 : 0;
}

main().then(code => process.exit(code), e => {
  console.error('sweep.js crashed:', e && e.stack || e);
  process.exit(1);
});
