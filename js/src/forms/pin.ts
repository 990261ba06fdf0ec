// Pin widgets (pywebio_nb/pin/): an input control placed among the outputs. Every change is
// sent at once, so Python always holds the current value and reading a pin costs no round trip.

import { h, onUpdate, register } from "../outputs/registry";
import type { FieldBody, InputEvent } from "../protocol";
import { createField, type FieldSpec } from "./fields";

register<FieldBody>("pin", (spec, ctx) => {
  const fieldSpec = spec as unknown as FieldSpec;
  const send = (event: Omit<InputEvent, "kind" | "id">, buffers?: ArrayBuffer[]): void =>
    ctx.send({ kind: "input", id: spec.id, ...event } as InputEvent, buffers);
  const changes =
    fieldSpec.input === "file"
      ? { ...fieldSpec, onchange: false }
      : { ...fieldSpec, onchange: true };
  let uploading = false;
  const control = createField(changes, {
    change: (value) => send({ event: "change", value }),
    blur: () => undefined,
    action: () => undefined,
    press: (index) => send({ event: "change", value: index }),
    filesChosen: () => {
      const file = control.file;
      if (!file || uploading || file.check()) return;
      uploading = true;
      file
        .upload((chunk, buffer) => send({ event: "chunk", ...chunk }, [buffer]))
        .then(() => send({ event: "change", value: control.value() }))
        .catch(() => undefined)
        .finally(() => (uploading = false));
    },
  });
  const wrap = h("div", "pywebio-pin");
  wrap.append(control.el);
  const notice = h(
    "div",
    "pywebio-pin-expired",
    "This widget was replaced by a newer one with the same name.",
  );
  notice.setAttribute("role", "status");
  const setExpired = (expired: boolean): void => {
    notice.hidden = !expired;
    wrap.classList.toggle("pywebio-pin-stale", expired);
    control.setDisabled(expired);
  };
  wrap.append(notice);
  setExpired(Boolean(spec.expired));
  onUpdate(wrap, (attrs) => {
    control.update(attrs);
    if ("expired" in attrs) setExpired(Boolean(attrs.expired));
  });
  return wrap;
});
