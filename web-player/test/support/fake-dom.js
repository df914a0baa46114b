// @ts-check
/**
 * Just enough DOM for the page views' tests (mountPublishView, mountPlayerView, mountArchiveView,
 * callScreen, joinScreen, mountStreamList): elements whose
 * text writes are counted. Writing an element's textContent replaces its text node even with the
 * same text; in WebKitGTK a click whose press and release straddle that replacement is lost (its
 * press target left the document), so a Stop click held across the page's 250 ms refresh did nothing.
 */
export class FakeElement {
  /** @param {string} tag */
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.className = '';
    this.hidden = false;
    this.disabled = false;
    this.value = '';
    /** @type {Record<string, string>} */
    this.dataset = {};
    /** @type {Record<string, string>} */
    this.attributes = {};
    /** @type {FakeElement[]} */
    this.children = [];
    /** @type {Record<string, ((e: unknown) => void)[]>} */
    this.listeners = {};
    this.text = '';
    this.textWrites = 0;
    this.removed = false;
    this.classList = { toggle: () => {} };
    /** @type {Record<string, string>} */
    this.style = {};
    this.clientWidth = 0;
    this.clientHeight = 0;
  }

  get textContent() {
    return this.text;
  }

  set textContent(value) {
    this.text = String(value ?? '');
    this.textWrites++;
  }

  /** @param {string} name @param {string} value */
  setAttribute(name, value) {
    this.attributes[name] = value;
  }

  /** @param {string} type @param {(e: unknown) => void} listener */
  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }

  /** @param {...FakeElement} children */
  append(...children) {
    this.children.push(...children);
  }

  /** @param {...FakeElement} children */
  replaceChildren(...children) {
    this.children = children;
  }

  /** @param {string} name */
  removeAttribute(name) {
    delete this.attributes[name];
  }

  remove() {
    this.removed = true;
  }

  /** A media element's load(): there is nothing to load here. */
  load() {}

  /** @param {string} type @param {Record<string, unknown>} [init] the event's other fields (clientX) */
  dispatch(type, init = {}) {
    for (const listener of this.listeners[type] ?? []) listener({ type, ...init });
  }

  /** A box at the origin as wide as clientWidth. */
  getBoundingClientRect() {
    return { left: 0, top: 0, width: this.clientWidth, height: this.clientHeight };
  }

  /** The descendants with this tag. @param {string} tag @returns {FakeElement[]} */
  querySelectorAll(tag) {
    /** @type {FakeElement[]} */
    const out = [];
    const visit = (/** @type {FakeElement} */ e) => {
      for (const child of e.children) {
        if (!(child instanceof FakeElement)) continue;
        if (child.tagName === tag.toUpperCase()) out.push(child);
        visit(child);
      }
    };
    visit(this);
    return out;
  }

  /** @param {(e: FakeElement) => boolean} predicate @returns {FakeElement | undefined} */
  find(predicate) {
    if (predicate(this)) return this;
    for (const child of this.children) {
      const found = child instanceof FakeElement ? child.find(predicate) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The first element with this class. @param {string} name @returns {FakeElement} */
  byClass(name) {
    const found = this.find((e) => e.className.split(' ').includes(name));
    if (!found) throw new Error(`no element .${name}`);
    return found;
  }
}
