// The notebook widget's page commands: every custom message of WidgetMessage is handled.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BrowserEvent, WidgetMessage } from "../src/protocol";
import widget from "../src/widget";
import { fixture } from "./fixtures";

type Handler = (msg: WidgetMessage, buffers: DataView[]) => void;

/** Just enough of anywidget's model proxy: traits, listeners and `send`. */
function fakeModel(key: string) {
  const handlers = new Map<string, Handler>();
  const sent: BrowserEvent[] = [];
  const model = {
    get: (name: string) => (name === "_key" ? key : ""),
    on: (event: string, handler: Handler) => void handlers.set(event, handler),
    off: () => undefined,
    send: (event: BrowserEvent) => void sent.push(event),
  };
  const receive = (msg: WidgetMessage, buffers: DataView[] = []) =>
    handlers.get("msg:custom")?.(msg, buffers);
  return { model, receive, sent };
}

type WidgetModel = Parameters<typeof widget.initialize>[0]["model"];

function initialize(key: string) {
  const fake = fakeModel(key);
  // The fake has the parts of AnyModel that widget.ts uses.
  widget.initialize({ model: fake.model as unknown as WidgetModel });
  return fake;
}

afterEach(() => {
  delete (globalThis as Record<string, unknown>).__pywebioNbRunJs;
  vi.restoreAllMocks();
});

describe("notebook widget page commands", () => {
  it("runs run_js with its args", () => {
    const { receive } = initialize("run-js");
    receive({ kind: "run_js", code: "globalThis.__pywebioNbRunJs = x + 1", args: { x: 41 } });
    expect((globalThis as Record<string, unknown>).__pywebioNbRunJs).toBe(42);
  });

  it("answers eval_js with a js_result of the same id", async () => {
    const { receive, sent } = initialize("eval-js");
    const message = fixture<WidgetMessage>("page-eval_js.json");
    receive({ ...message, expression: "Promise.resolve(a * 2)", args: { a: 21 } } as WidgetMessage);
    await vi.waitFor(() => expect(sent.filter((e) => e.kind === "js_result")).toHaveLength(1));
    const answer = sent.find((e) => e.kind === "js_result");
    expect(answer).toEqual({ kind: "js_result", id: 1, value: 42 });
  });

  it("saves a download's first buffer under its name", () => {
    const { receive } = initialize("download");
    const created: Blob[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation((blob) => {
      created.push(blob as Blob);
      return "blob:download";
    });
    const names: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click");
    click.mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const bytes = new Uint8Array([104, 105]);
    receive(fixture<WidgetMessage>("page-download.json"), [new DataView(bytes.buffer)]);
    expect(names).toEqual(["sales.csv"]);
    expect(created[0]?.size).toBe(2);
  });
});
