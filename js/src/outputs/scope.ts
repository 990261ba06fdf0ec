// Scopes (pywebio_nb/output/_scope.py): containers whose children come and go by command.

import type { EmptyBody, NodeSpec, ScopeBody } from "../protocol";
import { h, register } from "./registry";

register<ScopeBody>("scope", (spec, ctx) => {
  const el = h("div", "pywebio-scope");
  if (typeof spec.name === "string") el.dataset.scope = spec.name;
  for (const child of (spec.children ?? []) as NodeSpec[]) el.append(ctx.render(child));
  ctx.registerContainer(spec, el);
  return el;
});

register<EmptyBody>("empty", () => h("span", "pywebio-empty"));
