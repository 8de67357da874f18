// A small, strict markdown renderer for CDS card details (CDS Hooks: detail is GitHub-flavoured
// markdown). It builds DOM nodes and text nodes only, never HTML strings: markup in the text (say
// "<img onerror=…>") is shown as the characters it is. Supported: paragraphs, line breaks, "-", "*",
// "+" and "1." lists, headings (shown as bold paragraphs), **bold**, *italic* / _italic_, `code`,
// backslash escapes, and [links](https://…) with http(s) URLs only (any other link is its text).

const ESCAPABLE = '\\`*_{}[]()#+-.!<>|~"\'$%&,/:;=?@^';
const INVISIBLE = /\p{Cf}/gu;

/**
 * Text as it may be shown: without Unicode format characters (category Cf: the bidi embeddings,
 * overrides and isolates U+202A-U+202E and U+2066-U+2069, zero-width characters), which would
 * reverse or hide what is around them (a patient name, a variant).
 */
export function visibleText(text) {
  return String(text ?? '').replace(INVISIBLE, '');
}

/** Renders markdown into a DocumentFragment of safe elements. */
export function renderMarkdown(markdown, doc = document) {
  const fragment = doc.createDocumentFragment();
  const lines = visibleText(markdown).replace(/\r\n?/g, '\n').split('\n');
  let paragraph = [];
  let list = null;

  const flushParagraph = () => {
    if (paragraph.length) {
      const p = doc.createElement('p');
      appendLines(p, paragraph, doc);
      fragment.appendChild(p);
      paragraph = [];
    }
  };
  const flushList = () => {
    if (list) {
      fragment.appendChild(list.element);
      list = null;
    }
  };

  for (const line of lines) {
    const bullet = /^\s{0,3}([-*+])\s+(.*)$/.exec(line);
    const numbered = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/.exec(line);
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (line.trim() === '') {
      flushParagraph();
      flushList();
    } else if (bullet || numbered) {
      flushParagraph();
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tag !== tag) {
        flushList();
        list = { tag, element: doc.createElement(tag) };
      }
      const item = doc.createElement('li');
      appendInline(item, (bullet || numbered)[2], doc);
      list.element.appendChild(item);
    } else if (heading) {
      flushParagraph();
      flushList();
      const p = doc.createElement('p');
      const strong = doc.createElement('strong');
      appendInline(strong, heading[1], doc);
      p.appendChild(strong);
      fragment.appendChild(p);
    } else if (list && /^\s{2,}\S/.test(line)) {
      // continuation of the last list item
      const last = list.element.lastElementChild;
      last.appendChild(doc.createTextNode(' '));
      appendInline(last, line.trim(), doc);
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return fragment;
}

/** Paragraph lines: a soft break is a space; two trailing spaces or a trailing backslash a <br>. */
function appendLines(parent, lines, doc) {
  lines.forEach((line, index) => {
    const last = index === lines.length - 1;
    const hard = !last && (/ {2,}$/.test(line) || /\\$/.test(line));
    const text = hard && /\\$/.test(line) ? line.slice(0, -1) : line;
    appendInline(parent, last ? text.trim() : text.trimStart().replace(/ +$/, ''), doc);
    if (!last) {
      parent.appendChild(hard ? doc.createElement('br') : doc.createTextNode(' '));
    }
  });
}

/** Inline markdown into parent. */
function appendInline(parent, text, doc) {
  let buffer = '';
  const flush = () => {
    if (buffer) {
      parent.appendChild(doc.createTextNode(buffer));
      buffer = '';
    }
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.includes(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close > i + 1) {
        flush();
        const code = doc.createElement('code');
        code.textContent = text.slice(i + 1, close);
        parent.appendChild(code);
        i = close + 1;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] === c) {
      const close = findClosing(text, i + 2, c + c);
      if (close > i + 2 && (c === '*' || boundaryAfter(text, close + 2))) {
        flush();
        const strong = doc.createElement('strong');
        appendInline(strong, text.slice(i + 2, close), doc);
        parent.appendChild(strong);
        i = close + 2;
        continue;
      }
    }
    if ((c === '*' || c === '_') && text[i + 1] !== c && text[i + 1] !== undefined && text[i + 1] !== ' '
        && (c === '*' || boundaryBefore(text, i))) {
      const close = findClosing(text, i + 1, c);
      if (close > i + 1 && text[close - 1] !== ' ' && (c === '*' || boundaryAfter(text, close + 1))) {
        flush();
        const em = doc.createElement('em');
        appendInline(em, text.slice(i + 1, close), doc);
        parent.appendChild(em);
        i = close + 1;
        continue;
      }
    }
    if (c === '[') {
      const link = readLink(text, i);
      if (link) {
        flush();
        const url = safeUrl(link.url);
        if (url) {
          const a = doc.createElement('a');
          a.href = url;
          a.target = '_blank';
          a.rel = 'noopener noreferrer';
          appendInline(a, link.label, doc);
          parent.appendChild(a);
        } else {
          appendInline(parent, link.label, doc);
        }
        i = link.end;
        continue;
      }
    }
    buffer += c;
    i += 1;
  }
  flush();
}

/** Index of the next unescaped delimiter at or after start, or -1. */
function findClosing(text, start, delimiter) {
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\\') {
      i += 1;
      continue;
    }
    if (text.startsWith(delimiter, i)) {
      if (delimiter.length === 1 && text[i + 1] === delimiter) {
        i += 1; // part of a double delimiter: not ours
        continue;
      }
      return i;
    }
  }
  return -1;
}

function boundaryBefore(text, i) {
  return i === 0 || !/[\p{L}\p{N}]/u.test(text[i - 1]);
}

function boundaryAfter(text, i) {
  return i >= text.length || !/[\p{L}\p{N}]/u.test(text[i]);
}

/** [label](url) starting at i: {label, url, end} or null. */
function readLink(text, i) {
  let depth = 0;
  let j = i;
  for (; j < text.length; j++) {
    if (text[j] === '\\') {
      j += 1;
    } else if (text[j] === '[') {
      depth += 1;
    } else if (text[j] === ']') {
      depth -= 1;
      if (depth === 0) {
        break;
      }
    }
  }
  if (j >= text.length || text[j + 1] !== '(') {
    return null;
  }
  let close = -1;
  for (let k = j + 2, parens = 0; k < text.length; k++) { // balanced brackets inside the URL
    if (text[k] === '(') {
      parens += 1;
    } else if (text[k] === ')') {
      if (parens === 0) {
        close = k;
        break;
      }
      parens -= 1;
    }
  }
  if (close < 0) {
    return null;
  }
  const target = text.slice(j + 2, close).trim().split(/\s+/)[0].replace(/^<(.*)>$/, '$1');
  return { label: text.slice(i + 1, j), url: target, end: close + 1 };
}

/** The URL when it is absolute http(s), else null (no javascript:, data:, relative …). */
export function safeUrl(raw) {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch (notAbsolute) {
    return null;
  }
}
