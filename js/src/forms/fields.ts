// One input control (text, number, select, checkbox, radio, slider, actions, textarea, file),
// shared by forms (form.ts) and pin widgets (pin.ts). Mirrors pywebio_nb/input/_field.py.
// A control reports raw values: text as typed, choices as option indexes, files as descriptors;
// Python converts and checks them. Updates from Python change the control in place, so what the
// user entered is kept.

import { editor, fillWhenLoaded } from "../lazy";
import { h } from "../outputs/registry";
import type { FieldNode, FieldOption, FormButton } from "../protocol";
import type { CodeEditor } from "./code";
import { type FileControl, createFileControl } from "./files";

/** An option of a select, checkbox or radio field (generated from the Python protocol). */
export type OptionSpec = FieldOption;

/** A button of an `actions` field. */
export type ButtonSpec = FormButton;

/** A field as a control reads it: the generated `FieldNode`, plus keys later updates add. */
export type FieldSpec = FieldNode & { [key: string]: unknown };

/** What a control tells its form or pin. */
export interface FieldHooks {
  change(value: unknown): void;
  blur(value: unknown): void;
  action(): void;
  press(index: number, button: ButtonSpec): void;
  filesChosen?(): void;
}

export interface FieldControl {
  readonly el: HTMLElement;
  readonly spec: FieldSpec;
  value(): unknown;
  update(attrs: Record<string, unknown>): void;
  reset(): void;
  setDisabled(disabled: boolean): void;
  focus(): void;
  file?: FileControl;
}

let counter = 0;
export function domId(prefix: string): string {
  counter += 1;
  return `pywebio-${prefix}-${counter}`;
}

const INPUT_TYPES: Record<string, string> = {
  text: "text",
  number: "number",
  float: "text",
  password: "password",
  url: "url",
  date: "date",
  time: "time",
  color: "color",
  "datetime-local": "datetime-local",
  email: "email",
};

/** Sets the user's extra HTML attributes, never event handlers. */
function applyAttrs(el: HTMLElement, attrs: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (/^on/i.test(key) || !/^[a-zA-Z][\w-]*$/.test(key)) continue;
    el.setAttribute(key, String(value));
  }
}

/** The parts every control has: label, feedback line, help text. */
class Frame {
  readonly el: HTMLElement;
  readonly labelEl: HTMLElement;
  readonly feedback: HTMLElement;
  readonly help: HTMLElement;

  constructor(
    spec: FieldSpec,
    readonly controlId: string,
    grouped: boolean,
  ) {
    this.el = h(grouped ? "fieldset" : "div", `pywebio-field pywebio-field-${spec.input}`);
    this.labelEl = grouped ? h("legend", "pywebio-field-label") : h("label", "pywebio-field-label");
    if (!grouped) (this.labelEl as HTMLLabelElement).htmlFor = controlId;
    this.feedback = h("div", "pywebio-field-feedback");
    this.feedback.id = `${controlId}-feedback`;
    this.feedback.setAttribute("role", "alert");
    this.help = h("small", "pywebio-field-help");
    this.help.id = `${controlId}-help`;
    this.el.append(this.labelEl);
    this.setLabel(spec.label);
  }

  finish(spec: FieldSpec, describe: HTMLElement[]): void {
    this.el.append(this.feedback, this.help);
    for (const el of describe)
      el.setAttribute("aria-describedby", `${this.feedback.id} ${this.help.id}`);
    this.setHelp(spec.help_text);
    this.setInvalid(spec.invalid ?? null, describe);
  }

  setLabel(label: unknown): void {
    this.labelEl.textContent = typeof label === "string" ? label : "";
    this.labelEl.hidden = !this.labelEl.textContent;
  }

  setHelp(text: unknown): void {
    this.help.textContent = typeof text === "string" ? text : "";
    this.help.hidden = !this.help.textContent;
  }

  setInvalid(message: string | null, controls: HTMLElement[]): void {
    this.feedback.textContent = message ?? "";
    this.feedback.hidden = !message;
    this.el.classList.toggle("pywebio-invalid", Boolean(message));
    for (const el of controls) {
      if (message) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }
  }
}

export function createField(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  switch (spec.input) {
    case "select":
      return selectControl(spec, hooks);
    case "checkbox":
    case "radio":
      return choiceControl(spec, hooks);
    case "actions":
      return actionsControl(spec, hooks);
    case "slider":
      return sliderControl(spec, hooks);
    case "file":
      return fileControl(spec, hooks);
    case "textarea":
      return spec.code ? codeControl(spec, hooks) : textControl(spec, hooks);
    default:
      return textControl(spec, hooks);
  }
}

function commonUpdate(
  frame: Frame,
  controls: () => HTMLElement[],
  attrs: Record<string, unknown>,
): void {
  if ("label" in attrs) frame.setLabel(attrs.label);
  if ("help_text" in attrs) frame.setHelp(attrs.help_text);
  if ("invalid" in attrs) frame.setInvalid((attrs.invalid as string | null) ?? null, controls());
}

function textControl(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  const id = domId("field");
  const frame = new Frame(spec, id, false);
  const isArea = spec.input === "textarea";
  const input = isArea ? h("textarea", "pywebio-input") : h("input", "pywebio-input");
  input.id = id;
  if (input instanceof HTMLInputElement) {
    input.type = INPUT_TYPES[spec.input] ?? "text";
    if (spec.input === "float") input.inputMode = "decimal";
    if (spec.input === "number") input.step = "1";
  } else {
    input.rows = typeof spec.rows === "number" ? spec.rows : 6;
  }
  if (typeof spec.name === "string") input.name = spec.name;
  applyAttrs(input, spec.attrs);
  const row = h("div", "pywebio-input-row");
  row.append(input);
  let datalist: HTMLDataListElement | undefined;
  const setDatalist = (items: unknown): void => {
    if (!Array.isArray(items) || !(input instanceof HTMLInputElement)) return;
    if (!datalist) {
      datalist = h("datalist");
      datalist.id = domId("datalist");
      row.append(datalist);
      input.setAttribute("list", datalist.id);
    }
    datalist.replaceChildren(
      ...items.map((item) => {
        const option = h("option");
        option.value = String(item);
        return option;
      }),
    );
  };
  setDatalist(spec.datalist);
  let actionButton: HTMLButtonElement | undefined;
  if (spec.action) {
    actionButton = h(
      "button",
      "pywebio-button pywebio-button-secondary",
      String(spec.action.label),
    );
    actionButton.type = "button";
    actionButton.addEventListener("click", () => hooks.action());
    row.append(actionButton);
  }
  frame.el.append(row);
  const initial = spec.value === undefined || spec.value === null ? "" : String(spec.value);
  input.value = initial;
  const apply = (attrs: Record<string, unknown>): void => {
    if ("value" in attrs)
      input.value = attrs.value === null || attrs.value === undefined ? "" : String(attrs.value);
    if ("placeholder" in attrs)
      input.placeholder = typeof attrs.placeholder === "string" ? attrs.placeholder : "";
    if ("readonly" in attrs) input.readOnly = Boolean(attrs.readonly);
    if ("required" in attrs) input.required = Boolean(attrs.required);
    if ("maxlength" in attrs && typeof attrs.maxlength === "number")
      input.maxLength = attrs.maxlength;
    if ("minlength" in attrs && typeof attrs.minlength === "number")
      input.minLength = attrs.minlength;
    if ("datalist" in attrs) setDatalist(attrs.datalist);
  };
  apply(spec);
  const raw = (): unknown => {
    if (input instanceof HTMLInputElement && input.validity.badInput) return "(not a number)";
    return input.value;
  };
  if (spec.onchange) input.addEventListener("input", () => hooks.change(raw()));
  if (spec.onblur) {
    input.addEventListener("blur", () => {
      if (input.value !== "" || (input instanceof HTMLInputElement && input.validity.badInput)) {
        hooks.blur(raw());
      }
    });
  }
  frame.finish(spec, [input]);
  return {
    el: frame.el,
    spec,
    value: raw,
    update: (attrs) => {
      apply(attrs);
      commonUpdate(frame, () => [input], attrs);
    },
    reset: () => {
      input.value = initial;
    },
    setDisabled: (disabled) => {
      input.disabled = disabled;
      if (actionButton) actionButton.disabled = disabled;
    },
    focus: () => input.focus(),
  };
}

/**
 * A code editor: a plain textarea (same value, same events) until CodeMirror is loaded, then
 * upgraded in place, keeping what was typed meanwhile.
 */
function codeControl(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  const id = domId("field");
  const frame = new Frame(spec, id, false);
  const initial = typeof spec.value === "string" ? spec.value : "";
  const rows = typeof spec.rows === "number" ? spec.rows : 6;
  let readonly = Boolean(spec.readonly);
  let disabled = false;
  const area = h("textarea", "pywebio-input pywebio-code-fallback");
  area.id = id;
  area.rows = rows;
  area.spellcheck = false;
  area.value = initial;
  area.readOnly = readonly;
  if (spec.onchange) area.addEventListener("input", () => hooks.change(area.value));
  if (spec.onblur) area.addEventListener("blur", () => area.value && hooks.blur(area.value));
  frame.el.append(area);
  frame.finish(spec, [area]);
  let code: CodeEditor | undefined;
  const content = (): HTMLElement => code?.content ?? area;
  const applyReadonly = (): void => {
    if (code) code.setReadonly(readonly || disabled);
    else area.readOnly = readonly || disabled;
  };
  const setValue = (text: string): void => {
    if (code) code.setValue(text);
    else area.value = text;
  };
  fillWhenLoaded(editor, frame.el, (module) => {
    const upgraded = module.createCodeEditor({
      id,
      value: area.value,
      language: spec.code?.language ?? "python",
      theme: spec.code?.theme ?? "light",
      rows,
      readonly: readonly || disabled,
      label: typeof spec.label === "string" ? spec.label : "",
      onChange: spec.onchange ? (text) => hooks.change(text) : undefined,
      onBlur: spec.onblur ? (text) => text && hooks.blur(text) : undefined,
    });
    for (const name of ["aria-describedby", "aria-invalid"]) {
      const value = area.getAttribute(name);
      if (value !== null) upgraded.content.setAttribute(name, value);
    }
    const focused = area.ownerDocument.activeElement === area;
    area.replaceWith(upgraded.el);
    code = upgraded;
    if (focused) upgraded.focus();
  });
  return {
    el: frame.el,
    spec,
    value: () => code?.getValue() ?? area.value,
    update: (attrs) => {
      if ("value" in attrs) setValue(typeof attrs.value === "string" ? attrs.value : "");
      if ("readonly" in attrs) {
        readonly = Boolean(attrs.readonly);
        applyReadonly();
      }
      commonUpdate(frame, () => [content()], attrs);
    },
    reset: () => setValue(initial),
    setDisabled: (value) => {
      disabled = value;
      applyReadonly();
    },
    focus: () => content().focus(),
  };
}

function selectControl(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  const id = domId("field");
  const frame = new Frame(spec, id, false);
  const select = h("select", "pywebio-input pywebio-select");
  select.id = id;
  select.multiple = Boolean(spec.multiple);
  if (typeof spec.name === "string") select.name = spec.name;
  applyAttrs(select, spec.attrs);
  let initial: boolean[] = [];
  const setOptions = (options: OptionSpec[]): void => {
    select.replaceChildren(
      ...options.map((option, index) => {
        const el = h("option", undefined, String(option.label));
        el.value = String(index);
        el.disabled = Boolean(option.disabled);
        el.selected = Boolean(option.selected);
        el.defaultSelected = Boolean(option.selected);
        return el;
      }),
    );
    initial = options.map((option) => Boolean(option.selected));
  };
  setOptions(spec.options ?? []);
  select.required = Boolean(spec.required);
  const raw = (): unknown => {
    const chosen = Array.from(select.selectedOptions).map((option) => Number(option.value));
    return select.multiple ? chosen : chosen.length ? chosen[0] : null;
  };
  select.addEventListener("change", () => spec.onchange && hooks.change(raw()));
  if (spec.onblur) select.addEventListener("blur", () => hooks.blur(raw()));
  frame.el.append(select);
  frame.finish(spec, [select]);
  return {
    el: frame.el,
    spec,
    value: raw,
    update: (attrs) => {
      if (Array.isArray(attrs.options)) setOptions(attrs.options as OptionSpec[]);
      if ("required" in attrs) select.required = Boolean(attrs.required);
      commonUpdate(frame, () => [select], attrs);
    },
    reset: () => {
      for (const [index, option] of Array.from(select.options).entries()) {
        option.selected = initial[index] ?? false;
      }
    },
    setDisabled: (disabled) => (select.disabled = disabled),
    focus: () => select.focus(),
  };
}

function choiceControl(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  const id = domId("field");
  const frame = new Frame(spec, id, true);
  const isRadio = spec.input === "radio";
  const box = h("div", "pywebio-choices");
  if (spec.inline) box.classList.add("pywebio-choices-inline");
  const group = domId("group");
  let inputs: HTMLInputElement[] = [];
  let initial: boolean[] = [];
  const raw = (): unknown => {
    const chosen = inputs.flatMap((input, index) => (input.checked ? [index] : []));
    return isRadio ? (chosen.length ? chosen[0] : null) : chosen;
  };
  const setOptions = (options: OptionSpec[]): void => {
    inputs = [];
    box.replaceChildren(
      ...options.map((option, index) => {
        const label = h("label", "pywebio-choice");
        const input = h("input");
        input.type = isRadio ? "radio" : "checkbox";
        input.name = group;
        input.value = String(index);
        input.checked = Boolean(option.selected);
        input.disabled = Boolean(option.disabled);
        applyAttrs(input, spec.attrs);
        input.addEventListener("change", () => spec.onchange && hooks.change(raw()));
        if (spec.onblur) input.addEventListener("blur", () => hooks.blur(raw()));
        inputs.push(input);
        label.append(input, document.createTextNode(String(option.label)));
        return label;
      }),
    );
    if (isRadio && spec.required && inputs.length) inputs[inputs.length - 1].required = true;
    initial = options.map((option) => Boolean(option.selected));
  };
  setOptions(spec.options ?? []);
  frame.el.append(box);
  frame.finish(spec, []);
  return {
    el: frame.el,
    spec,
    value: raw,
    update: (attrs) => {
      if (Array.isArray(attrs.options)) setOptions(attrs.options as OptionSpec[]);
      commonUpdate(frame, () => [], attrs);
    },
    reset: () => {
      for (const [index, input] of inputs.entries()) input.checked = initial[index] ?? false;
    },
    setDisabled: (disabled) => {
      for (const input of inputs) input.disabled = disabled;
    },
    focus: () => inputs[0]?.focus(),
  };
}

function sliderControl(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  const id = domId("field");
  const frame = new Frame(spec, id, false);
  const input = h("input", "pywebio-slider");
  input.type = "range";
  input.id = id;
  applyAttrs(input, spec.attrs);
  const shown = h("output", "pywebio-slider-value");
  shown.htmlFor.add(id);
  const apply = (attrs: Record<string, unknown>): void => {
    if ("min" in attrs) input.min = String(attrs.min);
    if ("max" in attrs) input.max = String(attrs.max);
    if ("step" in attrs) input.step = String(attrs.step);
    if ("value" in attrs) input.value = String(attrs.value);
    shown.textContent = input.value;
  };
  apply({ min: spec.min ?? 0, max: spec.max ?? 100, step: spec.step ?? 1, value: spec.value ?? 0 });
  const initial = input.value;
  const raw = (): unknown => Number(input.value);
  input.addEventListener("input", () => {
    shown.textContent = input.value;
    if (spec.onchange) hooks.change(raw());
  });
  if (spec.onblur) input.addEventListener("change", () => hooks.blur(raw()));
  const row = h("div", "pywebio-input-row");
  row.append(input, shown);
  frame.el.append(row);
  frame.finish(spec, [input]);
  return {
    el: frame.el,
    spec,
    value: raw,
    update: (attrs) => {
      apply(attrs);
      commonUpdate(frame, () => [input], attrs);
    },
    reset: () => {
      input.value = initial;
      shown.textContent = initial;
    },
    setDisabled: (disabled) => (input.disabled = disabled),
    focus: () => input.focus(),
  };
}

function actionsControl(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  const id = domId("field");
  const frame = new Frame(spec, id, true);
  const row = h("div", "pywebio-buttons");
  let buttons: HTMLButtonElement[] = [];
  const setButtons = (specs: ButtonSpec[]): void => {
    buttons = specs.map((button, index) => {
      const el = h("button", "pywebio-button", String(button.label));
      el.type = "button";
      el.classList.add(
        `pywebio-button-${button.color ?? (button.type === "submit" ? "primary" : "secondary")}`,
      );
      el.disabled = Boolean(button.disabled);
      el.dataset.pwDisabled = button.disabled ? "1" : "";
      el.addEventListener("click", () => hooks.press(index, button));
      return el;
    });
    row.replaceChildren(...buttons);
  };
  setButtons(spec.buttons ?? []);
  frame.el.append(row);
  frame.finish(spec, []);
  return {
    el: frame.el,
    spec,
    value: () => null,
    update: (attrs) => {
      if (Array.isArray(attrs.buttons)) setButtons(attrs.buttons as ButtonSpec[]);
      commonUpdate(frame, () => [], attrs);
    },
    reset: () => undefined,
    setDisabled: (disabled) => {
      for (const button of buttons) button.disabled = disabled || button.dataset.pwDisabled === "1";
    },
    focus: () => buttons[0]?.focus(),
  };
}

function fileControl(spec: FieldSpec, hooks: FieldHooks): FieldControl {
  const id = domId("field");
  const frame = new Frame(spec, id, false);
  const control = createFileControl(spec, id, (message) =>
    frame.setInvalid(message, [control.input]),
  );
  control.input.addEventListener("change", () => hooks.filesChosen?.());
  frame.el.append(control.el);
  frame.finish(spec, [control.input]);
  return {
    el: frame.el,
    spec,
    value: () => control.descriptors(),
    update: (attrs) => {
      control.update(attrs);
      commonUpdate(frame, () => [control.input], attrs);
    },
    reset: () => control.reset(),
    setDisabled: (disabled) => (control.input.disabled = disabled),
    focus: () => control.input.focus(),
    file: control,
  };
}
