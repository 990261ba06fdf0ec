// The JupyterLab extension's part in saving: pywebio_nb's models stay out of saved widget state.
import { describe, expect, it } from "vitest";
import { withoutRoots } from "../src/labextension";

const STATE = "application/vnd.jupyter.widget-state+json";

function widgets(state: Record<string, unknown>): Record<string, unknown> {
  return { [STATE]: { version_major: 2, version_minor: 0, state } };
}

const root = {
  model_name: "AnyModel",
  model_module: "anywidget",
  model_module_version: "~0.9.*",
  state: { _esm: "export default {}", _key: "k1", _snapshot: "{}" },
};
const slider = {
  model_name: "IntSliderModel",
  model_module: "@jupyter-widgets/controls",
  model_module_version: "2.0.0",
  state: { value: 3 },
};
const otherAnywidget = {
  model_name: "AnyModel",
  model_module: "anywidget",
  model_module_version: "~0.9.*",
  state: { _esm: "export default {}", count: 1 },
};

describe("withoutRoots", () => {
  it("drops pywebio_nb roots and keeps every other model", () => {
    const kept = withoutRoots(widgets({ a: root, b: slider, c: otherAnywidget }));
    expect(kept).toEqual(widgets({ b: slider, c: otherAnywidget }));
  });

  it("leaves the state empty, not missing, when only roots were there", () => {
    expect(withoutRoots(widgets({ a: root }))).toEqual(widgets({}));
  });

  it("answers undefined when there is nothing to drop (no change, no loop)", () => {
    expect(withoutRoots(widgets({ b: slider }))).toBeUndefined();
    expect(withoutRoots(widgets({}))).toBeUndefined();
    expect(withoutRoots(undefined)).toBeUndefined();
    expect(withoutRoots({ other: 1 })).toBeUndefined();
  });

  it("keeps the other keys of the metadata and the state's version", () => {
    const kept = withoutRoots({ ...widgets({ a: root }), extra: true }) as Record<string, unknown>;
    expect(kept.extra).toBe(true);
    expect((kept[STATE] as { version_major: number }).version_major).toBe(2);
  });
});
