// The EHR side of CDS Hooks, as the clinician page plays it: discovery, prefetch filled from the
// discovery templates, the hook call, feedback, and applying a suggestion's actions to the draft
// orders. Nothing here touches the page; app.js does that.
// Spec: https://cds-hooks.hl7.org/2.0/ (calling a service, prefetch, feedback).

const FHIR_BASE = '/fhir';
const JSON_HEADERS = { 'Accept': 'application/json' };
const FHIR_HEADERS = { 'Accept': 'application/fhir+json' };

/** The clinician this page pretends to be (a CDS Hooks userId). */
export const USER_ID = 'Practitioner/rasguard-demo-clinician';

/** A random (version 4) UUID; crypto.randomUUID() exists only in secure contexts. */
export function uuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** GET {path} as FHIR JSON; resolves to {status, body} (body null when not JSON). */
export async function fhirGet(path) {
  const response = await fetch(FHIR_BASE + '/' + path, { headers: FHIR_HEADERS });
  let body = null;
  try {
    body = await response.json();
  } catch (notJson) {
    body = null;
  }
  return { status: response.status, body };
}

/** GET /cds-services: the services by hook ('order-sign', 'order-select'). */
export async function discover() {
  const response = await fetch('/cds-services', { headers: JSON_HEADERS });
  if (!response.ok) {
    throw new Error(`CDS discovery answered ${response.status}`);
  }
  const discovery = await response.json();
  const byHook = {};
  for (const service of discovery.services || []) {
    byHook[service.hook] = service;
  }
  return byHook;
}

/**
 * Fills one prefetch template: {{context.x}} from the hook context (first-level primitives only),
 * {{userPractitionerId}} and the like from userId. Null when a token cannot be filled, in which case
 * the key is not sent (the spec: a client MUST NOT send a key it did not satisfy).
 */
export function fillTemplate(template, context) {
  let unresolved = false;
  const [userType, userIdPart] = String(context.userId || '').split('/');
  const users = {
    userPractitionerId: userType === 'Practitioner' ? userIdPart : undefined,
    userPractitionerRoleId: userType === 'PractitionerRole' ? userIdPart : undefined,
    userPatientId: userType === 'Patient' ? userIdPart : undefined,
    userRelatedPersonId: userType === 'RelatedPerson' ? userIdPart : undefined,
  };
  const filled = template.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (token, name) => {
    let value;
    if (name.startsWith('context.')) {
      value = context[name.slice('context.'.length)];
    } else {
      value = users[name];
    }
    if (value === undefined || value === null || typeof value === 'object') {
      unresolved = true;
      return token;
    }
    return encodeURIComponent(String(value));
  });
  return unresolved ? null : filled;
}

/**
 * The prefetch an EHR would send for this service: every template read from the FHIR API. A read
 * that finds nothing is null; a search is its Bundle; anything that fails is left out.
 */
export async function prefetch(service, context) {
  const templates = service.prefetch || {};
  const entries = await Promise.all(Object.entries(templates).map(async ([key, template]) => {
    const query = fillTemplate(template, context);
    if (query === null) {
      return null;
    }
    try {
      const { status, body } = await fhirGet(query);
      if (status === 200 && body) {
        return [key, body];
      }
      if (status === 404 && !query.includes('?')) {
        return [key, null];
      }
    } catch (failed) {
      // left out: the service reads it itself or answers 412
    }
    return null;
  }));
  return Object.fromEntries(entries.filter((entry) => entry !== null));
}

/** The hook's context: order-select adds the selected orders. */
export function hookContext(hook, patientId, draftOrders, selections) {
  const context = {
    userId: USER_ID,
    patientId,
    draftOrders: { resourceType: 'Bundle', type: 'collection', entry: draftOrders.map((resource) => ({ resource })) },
  };
  if (hook === 'order-select') {
    context.selections = selections;
  }
  return context;
}

/**
 * Calls a CDS service as an EHR does: POST {base}/cds-services/{id} with hook, hookInstance,
 * fhirServer, context and prefetch. Resolves to the response JSON ({cards, systemActions}).
 */
export async function callService(service, context) {
  const request = {
    hook: service.hook,
    hookInstance: uuid(),
    fhirServer: location.origin + FHIR_BASE,
    context,
    prefetch: await prefetch(service, context),
  };
  const response = await fetch('/cds-services/' + encodeURIComponent(service.id), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const text = body && body.issue && body.issue[0] ? (body.issue[0].diagnostics || body.issue[0].code) : '';
    throw new Error(`${service.id} answered ${response.status}${text ? ': ' + text : ''}`);
  }
  return { hookInstance: request.hookInstance, cards: (body && body.cards) || [], systemActions: (body && body.systemActions) || [] };
}

/**
 * POST {base}/cds-services/{id}/feedback with one item; resolves to the ids the service stored
 * ({"stored": ["AuditEvent/…"]} here).
 */
export async function sendFeedback(serviceId, item) {
  const response = await fetch('/cds-services/' + encodeURIComponent(serviceId) + '/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
    body: JSON.stringify({ feedback: [{ ...item, outcomeTimestamp: new Date().toISOString() }] }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(`feedback answered ${response.status}`);
  }
  return (body && body.stored) || [];
}

/**
 * Applies a suggestion's actions to the draft orders, as a transaction would: deletes, then
 * creates, then updates. Returns the new draft list and what changed, for the page to announce.
 */
export function applyActions(draftOrders, actions, newId) {
  let drafts = draftOrders.slice();
  const changes = [];
  const order = { delete: 0, create: 1, update: 2 };
  const sorted = (actions || []).slice().sort((a, b) => (order[a.type] ?? 3) - (order[b.type] ?? 3));
  for (const action of sorted) {
    if (action.type === 'delete') {
      const target = action.resourceId || (action.resource && `${action.resource.resourceType}/${action.resource.id}`);
      const before = drafts.length;
      drafts = drafts.filter((resource) => `${resource.resourceType}/${resource.id}` !== target);
      if (drafts.length < before) {
        changes.push({ type: 'delete', reference: target, description: action.description });
      }
    } else if (action.type === 'create' && action.resource && action.resource.resourceType) {
      const resource = structuredClone(action.resource);
      resource.id = resource.id || newId(resource.resourceType);
      drafts.push(resource);
      changes.push({ type: 'create', reference: `${resource.resourceType}/${resource.id}`, description: action.description });
    } else if (action.type === 'update' && action.resource && action.resource.id) {
      const key = `${action.resource.resourceType}/${action.resource.id}`;
      drafts = drafts.map((resource) => (`${resource.resourceType}/${resource.id}` === key ? structuredClone(action.resource) : resource));
      changes.push({ type: 'update', reference: key, description: action.description });
    }
  }
  return { drafts, changes };
}
