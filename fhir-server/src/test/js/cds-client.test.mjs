// node --test: the clinician page's EHR side of CDS Hooks (src/main/resources/ui/cds-client.js):
// prefetch templates, the hook context, the call, feedback, and applying a card's suggestion.
// The page calls its own origin with relative URLs; here a real HTTP server (node:http) stands in
// for RAS Guard, and fetch resolves the page's relative URLs against it, as a browser would.
// Spec: https://cds-hooks.hl7.org/2.0/ (prefetch templates, calling a service, feedback, actions).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  applyActions, callService, discover, fillTemplate, hookContext, prefetch, sendFeedback, USER_ID, uuid,
} from '../../main/resources/ui/cds-client.js';

const requests = [];
let server;
let origin;

/** What the stand-in server answers, by method and path (with query). */
function answer(method, url, body) {
  const json = (status, value) => ({ status, type: 'application/json', body: JSON.stringify(value) });
  if (method === 'GET' && url === '/fhir/Patient/p1') {
    return json(200, { resourceType: 'Patient', id: 'p1' });
  }
  if (method === 'GET' && url === '/fhir/Condition?patient=p1') {
    return json(200, { resourceType: 'Bundle', type: 'searchset', entry: [] });
  }
  if (method === 'GET' && url.startsWith('/fhir/Observation?patient=p1')) {
    return json(500, { resourceType: 'OperationOutcome' });
  }
  if (method === 'GET' && url === '/fhir/Patient/gone') {
    return json(404, { resourceType: 'OperationOutcome' });
  }
  if (method === 'GET' && url === '/cds-services') {
    return json(200, { services: [
      { hook: 'order-sign', id: 'sign-id', prefetch: { patient: 'Patient/{{context.patientId}}' } },
      { hook: 'order-select', id: 'select-id' },
    ] });
  }
  if (method === 'POST' && url === '/cds-services/sign-id') {
    return json(200, { cards: [{ summary: 'Cetuximab not recommended', indicator: 'critical' }] });
  }
  if (method === 'POST' && url === '/cds-services/refusing') {
    return json(412, { resourceType: 'OperationOutcome', issue: [{ code: 'not-found', diagnostics: 'data unobtainable' }] });
  }
  if (method === 'POST' && url === '/cds-services/sign-id/feedback') {
    return json(200, { stored: JSON.parse(body).feedback.map((item, i) => `AuditEvent/${i + 1}`) });
  }
  return { status: 404, type: 'text/plain', body: 'no such path' };
}

before(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      requests.push({ method: request.method, url: request.url, headers: request.headers, body });
      const { status, type, body: out } = answer(request.method, request.url, body);
      response.writeHead(status, { 'Content-Type': type });
      response.end(out);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (url, options) => realFetch(new URL(url, origin), options);
  globalThis.location = { origin };
});

after(() => server.close());

const last = (path) => requests.filter((r) => r.url === path).at(-1);

test('uuid is a random version 4 UUID', () => {
  const ids = new Set(Array.from({ length: 50 }, uuid));
  assert.equal(ids.size, 50);
  for (const id of ids) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
});

test('fillTemplate fills context and user tokens, URL-encoded, and gives null when one cannot be filled', () => {
  const context = { patientId: 'p 1/2', userId: 'Practitioner/dr-a', draftOrders: { resourceType: 'Bundle' } };
  assert.equal(fillTemplate('Patient/{{context.patientId}}', context), 'Patient/p%201%2F2');
  assert.equal(fillTemplate('Practitioner/{{ userPractitionerId }}', context), 'Practitioner/dr-a');
  assert.equal(fillTemplate('PractitionerRole/{{userPractitionerRoleId}}', context), null);
  assert.equal(fillTemplate('Bundle?x={{context.draftOrders}}', context), null, 'an object is not a first-level primitive');
  assert.equal(fillTemplate('Encounter/{{context.encounterId}}', context), null);
  assert.equal(fillTemplate('metadata', context), 'metadata');
});

test('hookContext: order-select adds the selections, order-sign does not', () => {
  const orders = [{ resourceType: 'MedicationRequest', id: 'mr-1' }];
  const sign = hookContext('order-sign', 'p1', orders, ['MedicationRequest/mr-1']);
  assert.deepEqual(sign, {
    userId: USER_ID, patientId: 'p1',
    draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: orders[0] }] },
  });
  assert.deepEqual(hookContext('order-select', 'p1', orders, ['MedicationRequest/mr-1']).selections, ['MedicationRequest/mr-1']);
});

test('prefetch: a found read or search is sent, a read of nothing is null, a failure or an unfillable template is left out', async () => {
  const service = { prefetch: {
    patient: 'Patient/{{context.patientId}}',
    conditions: 'Condition?patient={{context.patientId}}',
    observations: 'Observation?patient={{context.patientId}}&category=laboratory',
    encounter: 'Encounter/{{context.encounterId}}',
  } };
  const filled = await prefetch(service, { patientId: 'p1', userId: USER_ID });
  assert.deepEqual(filled, {
    patient: { resourceType: 'Patient', id: 'p1' },
    conditions: { resourceType: 'Bundle', type: 'searchset', entry: [] },
  });
  assert.equal(last('/fhir/Patient/p1').headers.accept, 'application/fhir+json');
  assert.deepEqual(await prefetch({ prefetch: { patient: 'Patient/{{context.patientId}}' } }, { patientId: 'gone' }), { patient: null });
});

test('discover maps the services by hook', async () => {
  const byHook = await discover();
  assert.deepEqual(Object.keys(byHook).sort(), ['order-select', 'order-sign']);
  assert.equal(byHook['order-sign'].id, 'sign-id');
});

test('callService posts hook, a fresh hookInstance, our fhirServer, the context and the prefetch', async () => {
  const context = hookContext('order-sign', 'p1', [{ resourceType: 'MedicationRequest', id: 'mr-1' }]);
  const result = await callService({ id: 'sign-id', hook: 'order-sign', prefetch: { patient: 'Patient/{{context.patientId}}' } }, context);
  const sent = JSON.parse(last('/cds-services/sign-id').body);
  assert.equal(sent.hook, 'order-sign');
  assert.equal(sent.hookInstance, result.hookInstance);
  assert.match(sent.hookInstance, /^[0-9a-f-]{36}$/);
  assert.equal(sent.fhirServer, origin + '/fhir');
  assert.deepEqual(sent.context, context);
  assert.deepEqual(sent.prefetch, { patient: { resourceType: 'Patient', id: 'p1' } });
  assert.deepEqual(result.cards, [{ summary: 'Cetuximab not recommended', indicator: 'critical' }]);
  assert.deepEqual(result.systemActions, []);
});

test('callService turns an error answer into an Error naming the status and the diagnostics', async () => {
  await assert.rejects(callService({ id: 'refusing', hook: 'order-sign' }, hookContext('order-sign', 'p1', [])),
    { message: 'refusing answered 412: data unobtainable' });
});

test('sendFeedback posts one item with an outcomeTimestamp and gives back the stored ids', async () => {
  const stored = await sendFeedback('sign-id', { card: 'c-1', outcome: 'accepted', acceptedSuggestions: [{ id: 's-1' }] });
  assert.deepEqual(stored, ['AuditEvent/1']);
  const [item] = JSON.parse(last('/cds-services/sign-id/feedback').body).feedback;
  assert.equal(item.card, 'c-1');
  assert.equal(item.outcome, 'accepted');
  assert.ok(!Number.isNaN(Date.parse(item.outcomeTimestamp)), item.outcomeTimestamp);
  await assert.rejects(sendFeedback('no-such-service', { card: 'c-1', outcome: 'accepted' }), /feedback answered 404/);
});

test('applyActions deletes, then creates, then updates, and leaves the input list alone', () => {
  const cetuximab = { resourceType: 'MedicationRequest', id: 'mr-1', status: 'draft' };
  const other = { resourceType: 'MedicationRequest', id: 'mr-2', status: 'draft' };
  const drafts = [cetuximab, other];
  const { drafts: after, changes } = applyActions(drafts, [
    { type: 'update', description: 'hold', resource: { resourceType: 'MedicationRequest', id: 'mr-2', status: 'on-hold' } },
    { type: 'create', description: 'test', resource: { resourceType: 'ServiceRequest', status: 'draft' } },
    { type: 'delete', description: 'remove', resourceId: 'MedicationRequest/mr-1' },
    { type: 'delete', description: 'nothing to remove', resourceId: 'MedicationRequest/none' },
  ], (type) => `new-${type}`);
  assert.deepEqual(after, [
    { resourceType: 'MedicationRequest', id: 'mr-2', status: 'on-hold' },
    { resourceType: 'ServiceRequest', status: 'draft', id: 'new-ServiceRequest' },
  ]);
  assert.deepEqual(changes.map((c) => `${c.type} ${c.reference}`),
    ['delete MedicationRequest/mr-1', 'create ServiceRequest/new-ServiceRequest', 'update MedicationRequest/mr-2']);
  assert.deepEqual(drafts, [cetuximab, other]);
  assert.equal(other.status, 'draft');
});
