// The clinician page: patient picker and banner, order composer, and the CDS cards as an EHR shows
// them. The CDS Hooks exchange itself is in cds-client.js, the markdown of card details in markdown.js.

import { applyActions, callService, discover, fhirGet, hookContext, USER_ID, sendFeedback } from './cds-client.js';
import { renderMarkdown, safeUrl, visibleText } from './markdown.js';

const INDICATOR = {
  critical: { word: 'Critical', icon: 'critical' },
  warning: { word: 'Warning', icon: 'warning' },
  info: { word: 'Info', icon: 'info' },
};
// Only the badge colour per status: every word shown comes from the $ras-status answer (the displays
// of the knowledge package's CodeSystems), so the page keeps no term tables of its own.
const RAS_BADGE_KIND = { 'mutated': 'critical', 'wild-type': 'ok', 'unknown': 'warning' };

const state = {
  services: {},
  drugGroups: [],
  patientId: null,
  drafts: [],
  fromCards: new Set(),
  signed: [],
  nextId: 1,
  cards: [],
  pendingSign: null,
  busy: false,
};

const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ small DOM helpers

function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name === 'text') {
      element.textContent = visibleText(value);
    } else if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : visibleText(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      element.appendChild(typeof child === 'string' ? document.createTextNode(visibleText(child)) : child);
    }
  }
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';

/** The indicator icon: octagon (critical), triangle (warning), circle i (info), circle tick (ok). */
function icon(kind) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const shapes = {
    critical: [['path', { d: 'M7.5 2h9L22 7.5v9L16.5 22h-9L2 16.5v-9z', class: 'icon-shape' }],
      ['path', { d: 'M12 6.5v7', class: 'icon-mark' }], ['circle', { cx: 12, cy: 17.2, r: 1.3, class: 'icon-dot' }]],
    warning: [['path', { d: 'M12 2.5 23 21.5H1z', class: 'icon-shape' }],
      ['path', { d: 'M12 9v6', class: 'icon-mark' }], ['circle', { cx: 12, cy: 18.2, r: 1.2, class: 'icon-dot' }]],
    info: [['circle', { cx: 12, cy: 12, r: 10.5, class: 'icon-shape' }],
      ['path', { d: 'M12 10.5v7', class: 'icon-mark' }], ['circle', { cx: 12, cy: 7, r: 1.3, class: 'icon-dot' }]],
    ok: [['circle', { cx: 12, cy: 12, r: 10.5, class: 'icon-shape' }],
      ['path', { d: 'M7 12.5l3.2 3.2L17 9', class: 'icon-mark' }]],
  };
  for (const [tag, attributes] of shapes[kind] || shapes.info) {
    const shape = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) {
      shape.setAttribute(name, String(value));
    }
    svg.appendChild(shape);
  }
  return svg;
}

function badge(kind, word) {
  return el('span', { class: `badge badge--${kind}` }, icon(kind), el('span', { text: word }));
}

function setStatus(text, isError = false) {
  const status = $('cds-status');
  status.textContent = visibleText(text);
  status.classList.toggle('cds-status--error', isError);
}

// ------------------------------------------------------------------ names and dates

function humanName(patient) {
  const name = (patient.name || []).find((n) => n.use === 'official') || (patient.name || [])[0];
  if (!name) {
    return { full: `Patient ${patient.id}`, sorted: `(no name) ${patient.id}` };
  }
  if (name.text && !name.family) {
    return { full: name.text, sorted: name.text };
  }
  const given = (name.given || []).join(' ');
  return { full: [given, name.family].filter(Boolean).join(' '), sorted: [name.family, given].filter(Boolean).join(', ') };
}

function mrn(patient) {
  const identifier = (patient.identifier || []).find((i) => (i.type?.coding || []).some((c) => c.code === 'MR'))
    || (patient.identifier || [])[0];
  return identifier ? identifier.value : null;
}

function age(birthDate) {
  if (!birthDate) {
    return null;
  }
  const born = new Date(birthDate);
  const now = new Date();
  let years = now.getFullYear() - born.getFullYear();
  if (now.getMonth() < born.getMonth() || (now.getMonth() === born.getMonth() && now.getDate() < born.getDate())) {
    years -= 1;
  }
  return Number.isFinite(years) ? years : null;
}

function conceptText(concept) {
  if (!concept) {
    return '';
  }
  return concept.text || (concept.coding || []).map((c) => c.display || c.code).find(Boolean) || '';
}

function orderName(resource) {
  if (resource.resourceType === 'MedicationRequest') {
    return conceptText(resource.medicationCodeableConcept) || resource.medicationReference?.display || 'Medication order';
  }
  return conceptText(resource.code) || resource.resourceType;
}

const key = (resource) => `${resource.resourceType}/${resource.id}`;

// ------------------------------------------------------------------ patients

async function loadPatients(name) {
  const select = $('patient-select');
  select.disabled = true;
  const query = 'Patient?_count=100&_sort=family,given&_elements=name,birthDate,gender,identifier'
    + (name ? `&name=${encodeURIComponent(name)}` : '');
  const { status, body } = await fhirGet(query);
  select.replaceChildren();
  const patients = status === 200 && body ? (body.entry || []).map((entry) => entry.resource) : [];
  select.appendChild(el('option', { value: '', text: patients.length ? `Choose a patient (${patients.length} found)` : 'No patient found' }));
  for (const patient of patients) {
    const name = humanName(patient);
    const facts = [patient.birthDate && `born ${patient.birthDate}`, mrn(patient) && `MRN ${mrn(patient)}`].filter(Boolean);
    select.appendChild(el('option', { value: patient.id, text: [name.sorted, ...facts].join(' · ') }));
  }
  select.disabled = patients.length === 0;
  if (patients.length === 1) {
    select.value = patients[0].id;
    await choosePatient(patients[0].id);
  }
}

async function choosePatient(id) {
  state.patientId = id || null;
  state.drafts = [];
  state.fromCards = new Set();
  state.signed = [];
  state.cards = [];
  state.pendingSign = null;
  renderOrders();
  renderCards();
  setStatus('Cards from RAS Guard appear here when an order is selected or signed.');
  const banner = $('patient-banner');
  if (!id) {
    banner.replaceChildren(el('p', { class: 'banner-empty', text: 'Choose a patient to see the banner, then compose orders.' }));
    return;
  }
  banner.replaceChildren(el('p', { class: 'banner-empty', text: 'Loading the patient…' }));
  const [patient, conditions, ras] = await Promise.all([
    fhirGet(`Patient/${encodeURIComponent(id)}`),
    fhirGet(`Condition?patient=${encodeURIComponent(id)}&_count=50`),
    fhirGet(`Patient/${encodeURIComponent(id)}/$ras-status`),
  ]);
  if (state.patientId !== id) {
    return; // another patient was chosen meanwhile
  }
  if (patient.status !== 200) {
    banner.replaceChildren(el('p', { class: 'banner-empty', text: `The patient could not be read (HTTP ${patient.status}).` }));
    return;
  }
  renderBanner(patient.body, conditions.status === 200 ? (conditions.body.entry || []).map((e) => e.resource) : null,
    ras.status === 200 ? ras.body : null);
}

function parameters(body) {
  return body && body.parameter ? body.parameter : [];
}

/** A part's value; a Coding gives its code, and its display under `${name}Display`. */
function parts(parameter) {
  const out = {};
  for (const part of parameter.part || []) {
    if (part.valueCoding) {
      out[part.name] = part.valueCoding.code;
      out[`${part.name}Display`] = part.valueCoding.display || part.valueCoding.code;
      continue;
    }
    out[part.name] = part.valueString ?? part.valueCode ?? part.valueBoolean ?? part.valueInteger
      ?? part.valueReference?.reference;
  }
  return out;
}

function readRasStatus(body) {
  const all = parameters(body);
  const coding = all.find((p) => p.name === 'status')?.valueCoding;
  const status = coding?.code || 'unknown';
  const statusDisplay = coding?.display || status;
  const reasons = all.filter((p) => p.name === 'reason').map((p) => p.valueCoding?.display || p.valueCoding?.code);
  const variants = all.filter((p) => p.name === 'variant').map(parts);
  const genes = all.filter((p) => p.name === 'gene').map(parts);
  const evidence = all.filter((p) => p.name === 'evidence').map(parts);
  const relevant = evidence.filter((item) => item.preliminary !== true
    && (status === 'mutated' ? item.call === 'mutated' : true));
  const dates = relevant.map((item) => (item.effective || item.issued || '').slice(0, 10)).filter(Boolean).sort();
  return { status, statusDisplay, reasons, variants, genes, evidence, date: dates.length ? dates[dates.length - 1] : null };
}

const AMINO = {
  Ala: 'A', Arg: 'R', Asn: 'N', Asp: 'D', Cys: 'C', Gln: 'Q', Glu: 'E', Gly: 'G', His: 'H', Ile: 'I',
  Leu: 'L', Lys: 'K', Met: 'M', Phe: 'F', Pro: 'P', Ser: 'S', Thr: 'T', Trp: 'W', Tyr: 'Y', Val: 'V', Ter: '*',
};

/** "NP_004976.2:p.(Gly12Asp)" → "p.G12D"; anything else unchanged. */
function shortProtein(hgvs) {
  const match = /:?p\.\(?([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|=|\*)\)?$/.exec(hgvs || '');
  if (!match || !AMINO[match[1]] || !(AMINO[match[3]] || match[3] === '=' || match[3] === '*')) {
    return hgvs;
  }
  return `p.${AMINO[match[1]]}${match[2]}${AMINO[match[3]] || match[3]}`;
}

/**
 * The server's own words per gene ("KRAS and NRAS: No mutation found, Extended (codons 12, 13, ...)"):
 * the displays of $ras-status's gene status and coverage codes, so no codon list lives here.
 */
function geneFindings(genes) {
  const byFinding = new Map();
  for (const gene of genes) {
    const finding = [gene.statusDisplay, gene.coverageDisplay].filter(Boolean).join(', ');
    byFinding.set(finding, [...(byFinding.get(finding) || []), gene.geneDisplay || gene.gene]);
  }
  return [...byFinding].map(([finding, names]) => `${names.join(' and ')}: ${finding}`).join('; ');
}

/** Per gene: protein changes first ("KRAS p.G12D"), the coding change in brackets. */
function variantNames(variants) {
  const byGene = new Map();
  for (const variant of variants) {
    const entry = byGene.get(variant.geneDisplay) || { protein: [], coding: [] };
    (/:?p\./.test(variant.hgvs || '') ? entry.protein : entry.coding).push(variant.hgvs);
    byGene.set(variant.geneDisplay, entry);
  }
  return Array.from(byGene, ([gene, { protein, coding }]) => {
    const main = protein.length ? protein.map(shortProtein).join(', ') : coding.join(', ');
    const extra = protein.length && coding.length ? ` (${coding.join(', ')})` : '';
    return `${gene} ${main}${extra}`;
  }).join('; ');
}

function renderBanner(patient, conditions, rasBody) {
  const name = humanName(patient);
  const years = age(patient.birthDate);
  const facts = [
    patient.gender && patient.gender[0].toUpperCase() + patient.gender.slice(1),
    patient.birthDate && `born ${patient.birthDate}${years !== null ? ` (${years} y)` : ''}`,
    mrn(patient) && `MRN ${mrn(patient)}`,
  ].filter(Boolean).join(' · ');

  const diagnoses = conditions === null ? 'could not be read'
    : conditions.length === 0 ? 'none on record'
      : conditions.map((c) => conceptText(c.code)).filter(Boolean).join('; ');

  const rasValue = el('dd', { class: 'ras-value' });
  let evidenceBlock = null;
  if (!rasBody) {
    rasValue.appendChild(el('span', { text: 'could not be read' }));
  } else {
    const ras = readRasStatus(rasBody);
    rasValue.appendChild(badge(RAS_BADGE_KIND[ras.status] || 'warning', ras.statusDisplay));
    const details = [];
    if (ras.variants.length) {
      details.push(variantNames(ras.variants));
    }
    if (ras.status === 'wild-type') {
      details.push(geneFindings(ras.genes));
    }
    if (ras.status === 'unknown') {
      details.push(ras.reasons.length ? ras.reasons.join('; ') : 'no complete KRAS and NRAS result');
    }
    details.push(ras.date ? `result of ${ras.date}` : 'no result date');
    rasValue.appendChild(el('span', { class: 'ras-details', text: details.join(' · ') }));

    if (ras.evidence.length) {
      const evidenceId = 'ras-evidence';
      const toggle = el('button', {
        type: 'button', class: 'button button--small', 'aria-expanded': 'false', 'aria-controls': evidenceId,
        text: `Show evidence (${ras.evidence.length})`,
      });
      evidenceBlock = el('div', { id: evidenceId, class: 'evidence', hidden: true }, evidenceTable(ras.evidence));
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') === 'true';
        toggle.setAttribute('aria-expanded', String(!open));
        toggle.textContent = `${open ? 'Show' : 'Hide'} evidence (${ras.evidence.length})`;
        evidenceBlock.hidden = open;
      });
      rasValue.appendChild(toggle);
    }
  }

  $('patient-banner').replaceChildren(
    el('div', { class: 'banner-who' },
      el('p', { class: 'patient-name', id: 'patient-name', text: name.full }),
      el('p', { class: 'patient-facts', text: facts })),
    el('dl', { class: 'banner-facts' },
      el('div', {}, el('dt', { text: 'Diagnoses' }), el('dd', { id: 'patient-diagnoses', text: diagnoses })),
      el('div', {}, el('dt', { text: 'RAS status' }), rasValue)),
    evidenceBlock,
  );
}

function evidenceTable(evidence) {
  const table = el('table', {},
    el('caption', { text: 'RAS results in this server\'s store ($ras-status)' }),
    el('thead', {}, el('tr', {}, ['Gene', 'Result', 'Date', 'Specimen', 'Detail', 'Source']
      .map((heading) => el('th', { scope: 'col', text: heading })))));
  const rows = evidence.map((item) => el('tr', {},
    el('td', { text: item.geneDisplay || '' }),
    el('td', { text: (item.callDisplay || '') + (item.preliminary === true ? ' (preliminary)' : '') }),
    el('td', { text: (item.effective || item.issued || 'not stated').slice(0, 10) }),
    el('td', { text: item.specimen || '' }),
    el('td', { text: item.detail || '' }),
    el('td', { text: item.report || item.reference || '' })));
  table.appendChild(el('tbody', {}, rows));
  return el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'RAS evidence' }, table);
}

// ------------------------------------------------------------------ orders

function renderDrugs() {
  const container = $('drug-groups');
  container.replaceChildren();
  state.drugGroups.forEach((group) => {
    const buttons = group.drugs.map((drug) => el('button', {
      type: 'button', class: 'button button--drug', 'data-drug': drug.name, disabled: !state.patientId,
      onclick: () => addOrder(drug),
    }, el('span', { class: 'visually-hidden', text: 'Order ' }), el('span', { 'aria-hidden': 'true', class: 'plus', text: '+' }), drug.name));
    container.appendChild(el('fieldset', { class: 'drug-group' }, el('legend', { text: group.label }),
      el('div', { class: 'drug-buttons' }, buttons)));
  });
}

function renderOrders() {
  const list = $('draft-list');
  list.replaceChildren(...state.drafts.map((resource) => el('li', { 'data-order': key(resource) },
    el('span', { class: 'order-name', text: orderName(resource) }),
    el('span', { class: 'order-meta', text: `${resource.resourceType} · draft${state.fromCards.has(key(resource)) ? ' · from a card' : ''}` }),
    el('button', { type: 'button', class: 'button button--small', onclick: () => removeOrder(key(resource)) },
      'Remove', el('span', { class: 'visually-hidden', text: ` ${orderName(resource)}` })))));
  $('draft-empty').hidden = state.drafts.length > 0;
  $('signed-list').replaceChildren(...state.signed.map((resource) => el('li', { 'data-order': key(resource) },
    el('span', { class: 'order-name', text: orderName(resource) }),
    el('span', { class: 'order-meta', text: `${resource.resourceType} · signed` }))));
  $('signed-empty').hidden = state.signed.length > 0;
  $('sign').disabled = state.busy || state.drafts.length === 0;
  for (const button of document.querySelectorAll('.button--drug')) {
    button.disabled = state.busy || !state.patientId;
  }
}

async function addOrder(drug) {
  const id = `draft-${state.nextId++}`;
  const order = {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: drug.coding, text: drug.name },
    subject: { reference: `Patient/${state.patientId}` },
    authoredOn: new Date().toISOString().slice(0, 10),
    requester: { reference: USER_ID },
  };
  state.drafts.push(order);
  renderOrders();
  await runHook('order-select', [key(order)]);
}

function removeOrder(reference) {
  state.drafts = state.drafts.filter((resource) => key(resource) !== reference);
  renderOrders();
  $('orders-title').focus();
}

async function sign() {
  const pending = state.pendingSign;
  if (pending && state.cards.every((entry) => entry.hook !== 'order-sign' || entry.decided)
      && state.drafts.every((resource) => pending.keys.has(key(resource)))) {
    completeSigning('All cards were decided.');
    return;
  }
  const result = await runHook('order-sign', []);
  if (result && result.cards.length === 0) {
    completeSigning('RAS Guard returned no cards.');
  } else if (result) {
    state.pendingSign = { keys: new Set(state.drafts.map(key)) };
    setStatus(`Signing is on hold: ${describeCards(result.cards)} from order-sign. Accept a suggestion or override with a reason, then sign.`);
  }
}

function completeSigning(why) {
  const count = state.drafts.length;
  const names = state.drafts.map(orderName).join(', ');
  state.signed.push(...state.drafts.map((resource) => ({ ...resource, status: 'active' })));
  state.drafts = [];
  state.pendingSign = null;
  renderOrders();
  setStatus(count ? `Signed ${count} order${count === 1 ? '' : 's'} (${names}). ${why}` : `Nothing left to sign. ${why}`);
}

function describeCards(cards) {
  if (!cards.length) {
    return 'no cards';
  }
  const counts = {};
  cards.forEach((card) => { counts[card.indicator] = (counts[card.indicator] || 0) + 1; });
  return `${cards.length} card${cards.length === 1 ? '' : 's'} (${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')})`;
}

// ------------------------------------------------------------------ calling the service

async function runHook(hook, selections) {
  const service = state.services[hook];
  if (!service) {
    setStatus(`No RAS Guard service answers ${hook} (discovery).`, true);
    return null;
  }
  state.busy = true;
  renderOrders();
  setStatus(`Calling ${service.id}…`);
  try {
    const context = hookContext(hook, state.patientId, state.drafts, selections);
    const result = await callService(service, context);
    // Cards of an earlier call are stale once a new hook fires (CDS Hooks: stale guidance).
    state.cards = result.cards.map((card) => ({ card, hook, serviceId: service.id, accepted: new Set(), decided: false }));
    renderCards({ service, hook });
    setStatus(`${hook}: ${describeCards(result.cards)}.`);
    return result;
  } catch (failure) {
    setStatus(`RAS Guard could not answer: ${failure.message}`, true);
    return null;
  } finally {
    state.busy = false;
    renderOrders();
  }
}

// ------------------------------------------------------------------ cards

function renderCards(lastCall) {
  const list = $('card-list');
  list.replaceChildren(...state.cards.map(renderCard));
  if (lastCall && state.cards.length === 0) {
    list.appendChild(el('p', { class: 'no-cards' }, badge('ok', 'No cards'),
      el('span', { text: ` ${lastCall.service.id} (${lastCall.hook}) found nothing to warn about.` })));
  }
}

function renderCard(entry, index) {
  const { card } = entry;
  const look = INDICATOR[card.indicator] || INDICATOR.info;
  const summaryId = `card-${index}-summary`;
  const article = el('article', {
    class: `card card--${card.indicator}`, 'aria-labelledby': summaryId,
    'data-card-uuid': card.uuid || '', 'data-indicator': card.indicator, 'data-hook': entry.hook,
  });
  article.appendChild(el('header', { class: 'card-header' },
    el('span', { class: `indicator indicator--${card.indicator}` }, icon(look.icon), el('span', { text: look.word })),
    el('h3', { class: 'card-summary', id: summaryId, text: card.summary })));

  if (card.detail) {
    article.appendChild(el('div', { class: 'card-detail' }, renderMarkdown(card.detail)));
  }

  if (card.source) {
    const url = card.source.url ? safeUrl(card.source.url) : null;
    article.appendChild(el('p', { class: 'card-source' }, 'Source: ',
      url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: card.source.label }) : card.source.label,
      card.source.topic?.display ? ` · ${card.source.topic.display}` : ''));
  }

  for (const link of card.links || []) {
    const url = safeUrl(link.url);
    if (url) {
      article.appendChild(el('p', { class: 'card-link' },
        el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: link.label }),
        link.type === 'smart' ? ' (SMART app: not launched from this page)' : ''));
    }
  }

  const outcome = el('div', { class: 'card-outcome', role: 'status', tabindex: '-1' });
  const actions = el('div', { class: 'card-actions' });

  const suggestionButtons = (card.suggestions || []).map((suggestion) => {
    const button = el('button', {
      type: 'button', class: `button ${suggestion.isRecommended ? 'button--primary' : ''}`,
      'data-suggestion': suggestion.uuid || '',
    }, suggestion.label, suggestion.isRecommended ? el('span', { class: 'tag', text: 'Recommended' }) : null);
    button.addEventListener('click', () => acceptSuggestion(entry, suggestion, button, suggestionButtons, outcome));
    return button;
  });
  actions.append(...suggestionButtons);

  const overrideButton = el('button', {
    type: 'button', class: 'button button--quiet', 'aria-expanded': 'false', 'data-action': 'override', text: 'Override…',
  });
  const form = overrideForm(entry, index, outcome, () => {
    overrideButton.setAttribute('aria-expanded', 'false');
    overrideButton.focus();
  });
  overrideButton.setAttribute('aria-controls', form.id);
  overrideButton.addEventListener('click', () => {
    const open = form.hidden;
    form.hidden = !open;
    overrideButton.setAttribute('aria-expanded', String(open));
    if (open) {
      const first = form.querySelector('input, textarea');
      if (first) {
        first.focus();
      }
    }
  });
  actions.append(overrideButton);
  entry.overrideButton = overrideButton;
  article.append(actions, form, outcome);
  return article;
}

function overrideForm(entry, index, outcome, onClose) {
  const { card } = entry;
  const reasons = card.overrideReasons || [];
  const name = `card-${index}-reason`;
  const error = el('p', { class: 'field-error', id: `card-${index}-error`, hidden: true, text: 'Choose a reason first.' });
  const choices = reasons.map((reason, i) => el('label', { class: 'choice' },
    el('input', { type: 'radio', name, value: String(i), 'data-code': reason.code }), reason.display || reason.code));
  const comment = el('textarea', { id: `card-${index}-comment`, rows: '2' });
  const confirm = el('button', { type: 'button', class: 'button button--danger', 'data-action': 'confirm-override', text: 'Override with this reason' });
  const cancel = el('button', { type: 'button', class: 'button button--quiet', text: 'Cancel' });
  const form = el('div', { class: 'override', id: `card-${index}-override`, hidden: true },
    reasons.length ? el('fieldset', {}, el('legend', { text: 'Why do you go ahead?' }), choices) : null,
    el('label', { for: comment.id, text: reasons.length ? 'Comment (optional)' : 'Comment' }), comment,
    error,
    el('div', { class: 'override-buttons' }, confirm, cancel));
  cancel.addEventListener('click', () => {
    form.hidden = true;
    onClose();
  });
  confirm.addEventListener('click', async () => {
    const chosen = form.querySelector(`input[name="${name}"]:checked`);
    if (reasons.length && !chosen) {
      error.hidden = false;
      form.querySelector('input').focus();
      return;
    }
    error.hidden = true;
    const reason = chosen ? reasons[Number(chosen.value)] : null;
    const overrideReason = {};
    if (reason) {
      overrideReason.reason = { code: reason.code, system: reason.system, display: reason.display };
    }
    if (comment.value.trim()) {
      overrideReason.userComment = comment.value.trim();
    }
    confirm.disabled = true;
    form.hidden = true;
    entry.overrideButton.disabled = true;
    entry.decided = true;
    const said = `Overridden${reason ? `: ${reason.display || reason.code}` : ''}.`;
    await feedback(entry, outcome, {
      card: card.uuid,
      outcome: 'overridden',
      ...(Object.keys(overrideReason).length ? { overrideReason } : {}),
    }, said);
    onClose();
    outcome.focus();
    afterDecision();
  });
  return form;
}

async function acceptSuggestion(entry, suggestion, button, allButtons, outcome) {
  const before = state.drafts;
  const { drafts, changes } = applyActions(state.drafts, suggestion.actions,
    (type) => `${type === 'ServiceRequest' ? 'draft-sr' : 'draft'}-${state.nextId++}`);
  state.drafts = drafts;
  changes.filter((change) => change.type === 'create').forEach((change) => {
    state.fromCards.add(change.reference);
    if (state.pendingSign) {
      state.pendingSign.keys.add(change.reference);
    }
  });
  renderOrders();
  entry.accepted.add(suggestion.uuid);
  entry.decided = true;
  button.disabled = true;
  button.classList.add('button--done');
  button.prepend(el('span', { class: 'visually-hidden', text: 'Accepted: ' }));
  if (entry.card.selectionBehavior === 'at-most-one') {
    allButtons.forEach((other) => { other.disabled = true; });
  }
  const nameOf = (reference, list) => orderName(list.find((resource) => key(resource) === reference) || { resourceType: reference });
  const done = changes.map((change) => (change.type === 'delete' ? `Removed from the draft: ${nameOf(change.reference, before)}.`
    : change.type === 'create' ? `Added to the draft: ${nameOf(change.reference, state.drafts)}.`
      : `Changed in the draft: ${nameOf(change.reference, state.drafts)}.`));
  const said = [`Accepted: ${suggestion.label}.`, ...done].join(' ');
  if (suggestion.uuid && entry.card.uuid) {
    await feedback(entry, outcome, { card: entry.card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: suggestion.uuid }] }, said);
  } else {
    outcome.appendChild(el('p', { 'data-outcome': 'accepted', text: `${said} (no feedback: the card or suggestion has no uuid)` }));
  }
  outcome.focus();
  afterDecision();
}

/** One line per decision in the card's outcome area, with what became of its feedback. */
async function feedback(entry, outcome, item, said) {
  const line = el('p', { 'data-outcome': item.outcome, 'data-feedback': 'sending', text: `${said} Sending feedback…` });
  outcome.appendChild(line);
  try {
    const stored = await sendFeedback(entry.serviceId, item);
    line.textContent = `${said} Feedback stored${stored.length ? ` (${stored.join(', ')})` : ''}.`;
    line.dataset.feedback = 'stored';
  } catch (failure) {
    line.textContent = visibleText(`${said} Feedback not stored: ${failure.message}.`);
    line.dataset.feedback = 'failed';
  }
}

function afterDecision() {
  if (state.pendingSign && state.cards.every((entry) => entry.hook !== 'order-sign' || entry.decided)) {
    setStatus(state.drafts.length
      ? `Every card is decided. Sign orders to sign the ${state.drafts.length} remaining order${state.drafts.length === 1 ? '' : 's'}.`
      : 'Every card is decided. No orders are left to sign.');
  }
}

// ------------------------------------------------------------------ start

async function start() {
  $('patient-search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadPatients($('patient-search').value.trim());
  });
  $('patient-select').addEventListener('change', (event) => choosePatient(event.target.value));
  $('sign').addEventListener('click', sign);
  try {
    const [services, drugs] = await Promise.all([
      discover(),
      fetch('/ui/api/drugs', { headers: { Accept: 'application/json' } }).then((response) => response.json()),
    ]);
    state.services = services;
    state.drugGroups = drugs.groups || [];
    $('services').textContent = Object.values(services).map((s) => `${s.id} (${s.hook})`).join(', ') || 'none found';
  } catch (failure) {
    setStatus(`The CDS service could not be discovered: ${failure.message}`, true);
  }
  renderDrugs();
  renderOrders();
  await loadPatients('');
  document.body.dataset.ready = 'true';
}

start();
