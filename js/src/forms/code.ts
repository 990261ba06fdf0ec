// The code editor of `textarea(code=...)`: CodeMirror 6 with the few languages we bundle.
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
  syntaxHighlighting,
} from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { json } from "@codemirror/lang-json";
import { sql } from "@codemirror/lang-sql";
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

function languageOf(name: string): Extension {
  switch (name) {
    case "python":
      return python();
    case "javascript":
      return javascript();
    case "typescript":
      return javascript({ typescript: true });
    case "json":
      return json();
    case "sql":
      return sql();
    default:
      return [];
  }
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
