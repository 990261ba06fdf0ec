// Registers the renderers of forms (input functions) and pin widgets.
import "./form";
import "./pin";
