// @ts-check
/** The call's icons: stroke drawings on a 24-unit grid, in the text's colour. */

/** @type {Record<string, string>} */
const DRAWINGS = {
  mic: '<rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 10a7 7 0 0 0 14 0M12 17v4M8 21h8"/>',
  micOff: '<rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 10a7 7 0 0 0 14 0M12 17v4M8 21h8M3 3l18 18"/>',
  camera: '<rect x="2" y="6" width="14" height="12" rx="2"/><path d="M16 10.5l6-3.5v10l-6-3.5"/>',
  cameraOff: '<rect x="2" y="6" width="14" height="12" rx="2"/><path d="M16 10.5l6-3.5v10l-6-3.5M3 3l18 18"/>',
  screen: '<rect x="2" y="3" width="20" height="14" rx="2"/><path d="M8 21h8M12 17v4M12 13V7M9 10l3-3 3 3"/>',
  leave: '<path d="M2.5 13.5c5.2-4.7 13.8-4.7 19 0l-2.3 3.1-4-1.2v-2.9a12 12 0 0 0-6.4 0v2.9l-4 1.2z"/>',
  settings: '<path d="M4 6h9M19 6h1M4 12h3M13 12h7M4 18h11M21 18h-1"/><circle cx="16" cy="6" r="2.5"/><circle cx="10" cy="12" r="2.5"/><circle cx="18" cy="18" r="2.5"/>',
  stats: '<path d="M4 20V11M10 20V5M16 20v-7M21 20H3"/>',
};

/** @param {keyof typeof DRAWINGS} name @returns {SVGSVGElement} */
export function icon(name) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  for (const [key, value] of Object.entries({ viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': '2',
    'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', class: 'tc-icon-svg' })) svg.setAttribute(key, value);
  svg.innerHTML = DRAWINGS[name]; // our own constant drawings
  return svg;
}

/**
 * Shows icon `name` in `element`, only if it shows another: the call's figures refresh every
 * 200 ms, and a new drawing each time cost the page a style and layout pass for nothing.
 * @param {HTMLElement} element @param {keyof typeof DRAWINGS} name
 */
export function showIcon(element, name) {
  if (element.dataset.icon === name) return;
  element.dataset.icon = name;
  element.replaceChildren(icon(name));
}
