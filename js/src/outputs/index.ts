// Registers every output family's renderers.
import "./text";
import "./table";
import "./media";
import "./buttons";
import "./scope";
import "./layout";
import "./containers";
import "./feedback";
import "./popup";
import "./datatable";
import "../forms/index";
