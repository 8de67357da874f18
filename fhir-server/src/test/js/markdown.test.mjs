// node --test: the clinician page's markdown renderer (src/main/resources/ui/markdown.js), which
// turns a CDS card's detail (CDS Hooks 2.0, Card: "detail" is GitHub-flavoured markdown) into DOM
// nodes. Node has no DOM: a minimal document below gives the three factory methods the renderer
// uses, and serialises what was built, so a test sees exactly the elements and text nodes made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, safeUrl } from '../../main/resources/ui/markdown.js';

class Node {
  constructor(name) {
    this.nodeName = name;
    this.childNodes = [];
  }
  appendChild(child) {
    this.childNodes.push(child);
    return child;
  }
  get lastElementChild() {
    return [...this.childNodes].reverse().find((child) => child instanceof Element) ?? null;
  }
  get textContent() {
    return this.childNodes.map((child) => child.textContent).join('');
  }
  set textContent(text) {
    this.childNodes = [new Text(String(text))];
  }
}

class Element extends Node {}

class Text {
  constructor(text) {
    this.data = text;
  }
  get textContent() {
    return this.data;
  }
}

const doc = {
  createDocumentFragment: () => new Node('#fragment'),
  createElement: (tag) => new Element(tag),
  createTextNode: (text) => new Text(text),
};

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The built nodes as HTML: attributes are the properties the renderer set (href, target, rel). */
function html(node) {
  if (node instanceof Text) {
    return escape(node.data);
  }
  const inner = node.childNodes.map(html).join('');
  if (node.nodeName === '#fragment') {
    return inner;
  }
  const attributes = ['href', 'target', 'rel'].filter((name) => node[name] !== undefined)
    .map((name) => ` ${name}="${node[name]}"`).join('');
  return `<${node.nodeName}${attributes}>${inner}</${node.nodeName}>`;
}

const render = (markdown) => html(renderMarkdown(markdown, doc));

test('inline bold, italic and code inside a paragraph', () => {
  assert.equal(render('**KRAS** p.G12D is *mutated*: `c.35G>A`'),
    '<p><strong>KRAS</strong> p.G12D is <em>mutated</em>: <code>c.35G&gt;A</code></p>');
});

test('markup in the text stays text: no element is made from it', () => {
  const fragment = renderMarkdown('<img src=x onerror="alert(1)"> and <script>alert(2)</script>', doc);
  assert.equal(html(fragment), '<p>&lt;img src=x onerror="alert(1)"&gt; and &lt;script&gt;alert(2)&lt;/script&gt;</p>');
  assert.deepEqual(fragment.childNodes[0].childNodes.map((n) => n.constructor.name), ['Text']);
});

test('http(s) links open in a new tab without an opener; any other link is only its text', () => {
  assert.equal(render('See [NCCN](https://www.nccn.org/guidelines) now'),
    '<p>See <a href="https://www.nccn.org/guidelines" target="_blank" rel="noopener noreferrer">NCCN</a> now</p>');
  assert.equal(render('[click](javascript:alert(1)) [data](data:text/html,hi) [rel](/fhir/Patient/1)'),
    '<p>click data rel</p>');
});

test('bullet and numbered lists, a continuation line, and paragraphs between', () => {
  assert.equal(render('Options:\n\n- order extended RAS testing\n* or remove\n  this order\n1. first\n2. second\n\nEnd.'),
    '<p>Options:</p><ul><li>order extended RAS testing</li><li>or remove this order</li></ul>'
    + '<ol><li>first</li><li>second</li></ol><p>End.</p>');
});

test('a heading is a bold paragraph; two trailing spaces or a backslash break the line', () => {
  assert.equal(render('## Evidence ##\nline one  \nline two\\\nline three\nsame line'),
    '<p><strong>Evidence</strong></p><p>line one<br></br>line two<br></br>line three same line</p>');
});

test('backslash escapes and intra-word underscores are literal', () => {
  assert.equal(render('\\*not italic\\* and snake_case_name and \\[not a link\\](x)'),
    '<p>*not italic* and snake_case_name and [not a link](x)</p>');
});

test('nothing, null and CRLF input', () => {
  assert.equal(render(''), '');
  assert.equal(render(null), '');
  assert.equal(render('a\r\n\r\nb'), '<p>a</p><p>b</p>');
});

test('safeUrl keeps absolute http(s) URLs only', () => {
  assert.equal(safeUrl('https://cds-hooks.hl7.org/2.0/'), 'https://cds-hooks.hl7.org/2.0/');
  assert.equal(safeUrl('http://example.org/a b'), 'http://example.org/a%20b');
  for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'ftp://example.org/', '', undefined]) {
    assert.equal(safeUrl(bad), null, String(bad));
  }
});
