// A waiting form (pywebio_nb/input/_form.py): fields, Submit / Reset / Cancel, field errors.
// The form sends raw values; Python converts, checks and answers with `update`s (errors at the
// fields, upload progress) or removes the form once the answer is accepted.

import { h, onUpdate, register, type RenderContext } from "../outputs/registry";
import type { FormBody, InputEvent } from "../protocol";
import { createField, type ButtonSpec, type FieldControl, type FieldSpec } from "./fields";

const TEXT_LIKE = new Set(["text", "number", "float", "password", "url", "email", "textarea"]);

register<FormBody>("form", (spec, ctx) => {
  const form = h("form", "pywebio-form");
  form.noValidate = false;
  const formId = spec.id;
  if (typeof spec.label === "string" && spec.label) {
    const title = h("h3", "pywebio-form-title", spec.label);
    title.id = `pywebio-form-title-${formId}`;
    form.setAttribute("aria-labelledby", title.id);
    form.append(title);
  } else {
    form.setAttribute("aria-label", "Input form");
  }
  const send = (event: Omit<InputEvent, "kind" | "id">, buffers?: ArrayBuffer[]): void =>
    ctx.send({ kind: "input", id: formId, ...event } as InputEvent, buffers);

  const controls: FieldControl[] = [];
  let busy = false;
  let disabled = Boolean(spec.disabled);
  const status = h("div", "pywebio-form-status");
  status.setAttribute("role", "status");
  const error = h("div", "pywebio-form-error");
  error.setAttribute("role", "alert");
  const buttonRow = h("div", "pywebio-buttons pywebio-form-buttons");
  const ownButtons: HTMLButtonElement[] = [];

  const setBusy = (value: boolean): void => {
    busy = value;
    form.classList.toggle("pywebio-busy", value);
    form.setAttribute("aria-busy", String(value));
    for (const button of ownButtons) button.disabled = value || disabled;
  };

  const submit = async (extra?: Record<string, unknown>): Promise<void> => {
    if (busy || disabled) return;
    if (!form.reportValidity()) return;
    for (const control of controls) {
      const message = control.file?.check();
      if (message) {
        control.update({ invalid: message });
        return;
      }
    }
    setBusy(true);
    error.hidden = true;
    const values: Record<string, unknown> = {};
    try {
      for (const control of controls) {
        const name = control.spec.name;
        if (typeof name !== "string" || control.spec.input === "actions") continue;
        if (control.file) {
          await control.file.upload((chunk, buffer) =>
            send({ event: "chunk", name, ...chunk }, [buffer]),
          );
        }
        values[name] = control.value();
      }
    } catch (failure) {
      setBusy(false);
      showError(`Upload failed: ${failure instanceof Error ? failure.message : String(failure)}`);
      return;
    }
    Object.assign(values, extra ?? {});
    send({ event: "submit", values });
  };

  const showError = (message: unknown): void => {
    error.textContent = typeof message === "string" ? message : "";
    error.hidden = !error.textContent;
  };

  const fields = Array.isArray(spec.fields) ? (spec.fields as FieldSpec[]) : [];
  let focused = false;
  for (const fieldSpec of fields) {
    const name = String(fieldSpec.name ?? "");
    const control = createField(fieldSpec, {
      change: (value) => send({ event: "change", name, value }),
      blur: (value) => send({ event: "blur", name, value }),
      action: () => send({ event: "action", name }),
      press: (index: number, button: ButtonSpec) => {
        if (button.type === "reset") {
          form.reset();
          for (const c of controls) c.reset();
        } else if (button.type === "cancel") {
          if (!busy && !disabled) send({ event: "submit", values: { [name]: index } });
        } else {
          void submit({ [name]: index });
        }
      },
    });
    controls.push(control);
    control.el.dataset.pwid = String(fieldSpec.id);
    ctx.register(fieldSpec, control.el);
    onUpdate(control.el, (attrs) => {
      control.update(attrs);
      if ("invalid" in attrs) setBusy(false);
    });
    form.append(control.el);
    if (!focused && TEXT_LIKE.has(fieldSpec.input) && !fieldSpec.readonly) {
      focused = true;
      control.el.dataset.pwAutofocus = "1";
    }
  }

  if (!spec.own_buttons) {
    const submitButton = h("button", "pywebio-button pywebio-button-primary", "Submit");
    submitButton.type = "submit";
    const resetButton = h("button", "pywebio-button pywebio-button-secondary", "Reset");
    resetButton.type = "reset";
    ownButtons.push(submitButton, resetButton);
    buttonRow.append(submitButton, resetButton);
    if (spec.cancelable) {
      const cancel = h("button", "pywebio-button pywebio-button-danger", "Cancel");
      cancel.type = "button";
      cancel.addEventListener("click", () => {
        if (!busy && !disabled) {
          setBusy(true);
          send({ event: "cancel" });
        }
      });
      ownButtons.push(cancel);
      buttonRow.append(cancel);
    }
    form.append(buttonRow);
  }
  error.hidden = true;
  form.append(error, status);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submit();
  });
  form.addEventListener("reset", () => {
    queueMicrotask(() => {
      for (const control of controls) control.reset();
    });
  });

  const setDisabled = (value: boolean, text: unknown): void => {
    disabled = value;
    for (const control of controls) control.setDisabled(value);
    for (const button of ownButtons) button.disabled = value;
    form.classList.toggle("pywebio-form-disabled", value);
    status.textContent =
      text === "interrupted"
        ? "Interrupted: this question is no longer waiting for an answer."
        : text === "closed"
          ? "This question is no longer waiting for an answer."
          : "";
  };
  if (disabled) setDisabled(true, spec.status);
  onUpdate(form, (attrs) => {
    if ("disabled" in attrs || "status" in attrs)
      setDisabled(Boolean(attrs.disabled), attrs.status);
    if ("error" in attrs) {
      showError(attrs.error);
      setBusy(false);
    }
  });
  // Focus the first text field once the form is in the document (like PyWebIO's auto_focus),
  // but never steal focus from another element the user is typing in.
  requestAnimationFrame(() => {
    const target = form.querySelector<HTMLElement>(
      "[data-pw-autofocus] input, [data-pw-autofocus] textarea",
    );
    const active = document.activeElement;
    if (target && form.isConnected && !disabled && (!active || active === document.body)) {
      target.focus({ preventScroll: true });
    }
  });
  return form;
});

export type { RenderContext };
