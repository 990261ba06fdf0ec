// Mustache, for put_widget templates.

import Mustache from "mustache";

/** `template` rendered with `view` (Mustache escapes {{values}}; {{{raw}}} is the author's). */
export function renderTemplate(template: string, view: Record<string, unknown>): string {
  return Mustache.render(template, view);
}
