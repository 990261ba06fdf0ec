// The code editor of `textarea(code=...)`: CodeMirror 6 with the languages we bundle.
// Colours follow the notebook theme through --jp-* variables; `theme: "dark"` uses One Dark.
// Loaded on first use (see lazy.ts): a chunk of the standalone page, and a bundle of its own
// (static/editor.js) that the notebook widget fetches from the kernel, so it imports nothing
// of the renderer.

import { EditorState, Compartment, type Extension } from "@codemirror/state";
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  StreamLanguage,
  type StreamParser,
  syntaxHighlighting,
} from "@codemirror/language";
import { css } from "@codemirror/lang-css";
import { html } from "@codemirror/lang-html";
import { javascript } from "@codemirror/lang-javascript";
import { json } from "@codemirror/lang-json";
import { markdown } from "@codemirror/lang-markdown";
import { python } from "@codemirror/lang-python";
import { sql } from "@codemirror/lang-sql";
import { xml } from "@codemirror/lang-xml";
import { yaml } from "@codemirror/lang-yaml";
import {
  c,
  cpp,
  csharp,
  java,
  kotlin,
  objectiveC,
  scala,
} from "@codemirror/legacy-modes/mode/clike";
import { diff } from "@codemirror/legacy-modes/mode/diff";
import { dockerFile } from "@codemirror/legacy-modes/mode/dockerfile";
import { go } from "@codemirror/legacy-modes/mode/go";
import { haskell } from "@codemirror/legacy-modes/mode/haskell";
import { julia } from "@codemirror/legacy-modes/mode/julia";
import { lua } from "@codemirror/legacy-modes/mode/lua";
import { nginx } from "@codemirror/legacy-modes/mode/nginx";
import { perl } from "@codemirror/legacy-modes/mode/perl";
import { powerShell } from "@codemirror/legacy-modes/mode/powershell";
import { properties } from "@codemirror/legacy-modes/mode/properties";
import { protobuf } from "@codemirror/legacy-modes/mode/protobuf";
import { r } from "@codemirror/legacy-modes/mode/r";
import { ruby } from "@codemirror/legacy-modes/mode/ruby";
import { rust } from "@codemirror/legacy-modes/mode/rust";
import { shell } from "@codemirror/legacy-modes/mode/shell";
import { stex } from "@codemirror/legacy-modes/mode/stex";
import { swift } from "@codemirror/legacy-modes/mode/swift";
import { toml } from "@codemirror/legacy-modes/mode/toml";
import { oneDark } from "@codemirror/theme-one-dark";

export interface CodeEditorOptions {
  id: string;
  value: string;
  language: string;
  theme: string;
  rows: number;
  readonly: boolean;
  label: string;
  onChange?: (text: string) => void;
  onBlur?: (text: string) => void;
}

export interface CodeEditor {
  readonly el: HTMLElement;
  /** The editable element (for labels and aria attributes). */
  readonly content: HTMLElement;
  getValue(): string;
  setValue(text: string): void;
  setReadonly(readonly: boolean): void;
  focus(): void;
}

const legacy = (parser: StreamParser<unknown>) => (): Extension => StreamLanguage.define(parser);

/**
 * The languages the editor highlights, by the names Python sends (pywebio_nb/input/_code.py
 * maps CodeMirror 5 mode names, aliases and MIME types onto them). CodeMirror 6's own
 * grammars where it has one, its ports of CodeMirror 5 modes otherwise; any other language
 * is edited as plain text.
 */
const LANGUAGES: Record<string, () => Extension> = {
  python: () => python(),
  javascript: () => javascript(),
  jsx: () => javascript({ jsx: true }),
  typescript: () => javascript({ typescript: true }),
  tsx: () => javascript({ jsx: true, typescript: true }),
  json: () => json(),
  sql: () => sql(),
  markdown: () => markdown(),
  html: () => html(),
  css: () => css(),
  xml: () => xml(),
  yaml: () => yaml(),
  c: legacy(c),
  cpp: legacy(cpp),
  csharp: legacy(csharp),
  java: legacy(java),
  kotlin: legacy(kotlin),
  objectivec: legacy(objectiveC),
  scala: legacy(scala),
  diff: legacy(diff),
  dockerfile: legacy(dockerFile),
  go: legacy(go),
  haskell: legacy(haskell),
  julia: legacy(julia),
  lua: legacy(lua),
  nginx: legacy(nginx),
  perl: legacy(perl),
  powershell: legacy(powerShell),
  properties: legacy(properties),
  protobuf: legacy(protobuf),
  r: legacy(r),
  ruby: legacy(ruby),
  rust: legacy(rust),
  shell: legacy(shell),
  stex: legacy(stex),
  swift: legacy(swift),
  toml: legacy(toml),
};

function languageOf(name: string): Extension {
  return Object.keys(LANGUAGES).includes(name) ? LANGUAGES[name]() : [];
}

const lightTheme = EditorView.theme({
  "&": {
    backgroundColor: "var(--pw-code-bg)",
    color: "var(--pw-fg)",
    border: "1px solid var(--pw-border)",
    borderRadius: "var(--pw-radius)",
  },
  ".cm-gutters": {
    backgroundColor: "var(--pw-bg-alt)",
    color: "var(--pw-fg-muted)",
    border: "none",
  },
  "&.cm-focused": { outline: "2px solid var(--pw-accent)" },
});

export function createCodeEditor(options: CodeEditorOptions): CodeEditor {
  const el = document.createElement("div");
  el.className = "pywebio-code-editor";
  const editable = new Compartment();
  const view = new EditorView({
    parent: el,
    state: EditorState.create({
      doc: options.value,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        languageOf(options.language),
        options.theme === "dark" ? oneDark : lightTheme,
        editable.of([
          EditorState.readOnly.of(options.readonly),
          EditorView.editable.of(!options.readonly),
        ]),
        EditorView.contentAttributes.of({ id: options.id, "aria-label": options.label || "code" }),
        EditorView.theme({ ".cm-content, .cm-gutter": { minHeight: `${options.rows * 1.4}em` } }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && options.onChange) options.onChange(update.state.doc.toString());
        }),
        EditorView.domEventHandlers({
          blur: (_event, v) => {
            options.onBlur?.(v.state.doc.toString());
            return false;
          },
        }),
      ],
    }),
  });
  return {
    el,
    content: view.contentDOM,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => {
      if (text !== view.state.doc.toString()) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      }
    },
    setReadonly: (readonly) =>
      view.dispatch({
        effects: editable.reconfigure([
          EditorState.readOnly.of(readonly),
          EditorView.editable.of(!readonly),
        ]),
      }),
    focus: () => view.focus(),
  };
}
