// @ts-check
/**
 * A tiny element builder: h('div.card', { onclick }, child, 'text').
 * @param {string} tagAndClasses  tag, then .class parts
 * @param {Record<string, unknown> | null} [props]  `on…`: a listener; `text`: the text content; else an attribute
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tagAndClasses, props, ...children) {
  const [tag, ...classes] = tagAndClasses.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(props ?? {})) {
    if (key.startsWith('on')) el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === 'text') el.textContent = /** @type {string | null} */ (value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** Formats a number of ms for the overlay. @param {number} v @param {number} [digits] */
export function ms(v, digits = 0) {
  return Number.isFinite(v) ? `${v.toFixed(digits)} ms` : '–';
}

/**
 * Sets an element's text only when it differs: the same text set again still replaces the
 * text node, and a layout pass with it (figures refreshed several times a second); and
 * WebKitGTK drops a click whose press and release straddle that replacement (a button's or
 * label's text rewritten by a page's refresh).
 * @param {HTMLElement} element @param {string} text
 */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}
