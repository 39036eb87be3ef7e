/**
 * The one markup escaper, for HTML pages (print views) and SVG/XML (charts, posters): the five
 * characters that could end an element or an attribute. `&#39;` is valid in both HTML and XML.
 */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeMarkup = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
