"""A form waiting for its answer: shown in the running cell (or page), driven by browser events.

:class:`FormRun` puts a ``form`` node into the task's root, registers a mailbox as the node's
event sink, and handles events one by one in the waiting code's own thread: blur (validate the
field), change (``onchange``), the ``action`` button, upload chunks, cancel and submit (convert,
check, validate; on success the form is removed and the call returns). A rejected submit leaves
the form as it is, with the errors shown at the fields, so nothing entered is lost. An
interrupt disables the form. The form node lives in the document, so a page reloaded while the
form waits shows it again, live. Host independent: the session decides how to wait.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, cast

from .._core.current import current_session
from .._core.document import Output
from .._core.log_limit import LogLimit
from .._core.nodes import FieldNode, FormBody
from .._core.saved import note_answered
from .._core.session import Session
from .._core.waiting import run_blocking_or_awaitable
from ..exceptions import SessionException
from ._field import Field
from ._files import Uploads
from ._options import FieldError

__all__ = ["FormRun", "input_update"]


#: While an ``onchange`` or ``action`` callback runs: the form and the field that fired it.
_update_target: ContextVar[tuple[FormRun, str] | None] = ContextVar(
    "pywebio_nb_input_update", default=None
)

MALFORMED = "The browser sent a malformed message; please try again."
INVALID = "Your input is not valid"
_CANCELLED = object()


class FormRun:
    """One shown form and the state of its answer."""

    def __init__(
        self,
        fields: list[Field],
        *,
        label: str | None = None,
        validate: Callable[[dict[str, Any]], Any] | None = None,
        cancelable: bool = False,
        single: bool = False,
    ) -> None:
        self.session: Session = current_session()
        self.fields = {field.name or "": field for field in fields}
        self.order = [field.name or "" for field in fields]
        self.label = label
        self.validate = validate
        self.cancelable = cancelable
        self.single = single
        self.uploads = Uploads()
        #: Values fixed by ``set_value(value, label)``; they never travel to the browser.
        self.presets: dict[str, Any] = {}
        self.outputs: dict[str, Output] = {}
        #: Each field's own ``readonly``, restored when ``set_value(v)`` undoes a label.
        self.readonly = {field.name or "": field.spec.get("readonly") for field in fields}
        self.form: Output | None = None
        self.result: Any = None

    # -- running ------------------------------------------------------------------------------

    def start(self, caller: Any) -> Any:
        """Run blocking, or return a coroutine when the caller awaits the call."""
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        return run_blocking_or_awaitable(self.run, self.run_async, caller)

    def run(self) -> Any:
        """Show the form and block until it is answered."""
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        mailbox = self.open()
        try:
            self.session.serve(mailbox, self._handle_item)
            return self.finish()
        except BaseException as error:
            self.abandon(error)
            raise

    async def run_async(self) -> Any:
        """Show the form and await its answer."""
        __tracebackhide__ = True  # IPython and pytest leave this frame out of tracebacks
        mailbox = self.open()
        try:
            await self.session.serve_async(mailbox, self._handle_item)
            return self.finish()
        except BaseException as error:
            self.abandon(error)
            raise

    def open(self) -> Any:
        """Put the form into the task's root and start receiving its events."""
        session = self.session
        specs: list[FieldNode] = []
        for name in self.order:
            field = self.fields[name]
            out = session.make(field.body("field"))
            field.spec = out.spec
            self.outputs[name] = out
            specs.append(cast("FieldNode", out.spec))
        spec: FormBody = {"type": "form", "fields": specs}
        if self.label:
            spec["label"] = self.label
        if self.cancelable:
            spec["cancelable"] = True
        last = self.fields[self.order[-1]] if self.order else None
        if (
            last is not None
            and last.kind == "actions"
            and (self.single or any(b["type"] == "submit" for b in last.spec.get("buttons", [])))
        ):
            spec["own_buttons"] = True
        self.form = session.make(spec, embedded=self.outputs.values())
        session.place(self.form, "ROOT")
        mailbox = session.new_mailbox()
        session.add_event_sink(
            self.form.id, lambda content, buffers: mailbox.put((content, buffers))
        )
        return mailbox

    def finish(self) -> Any:
        """The form was answered: remove it (as PyWebIO does) and return the answer."""
        self._stop()
        if self.form is not None:
            if self.result is not _CANCELLED:
                note_answered(self.session, self.form, self.label, self._shown_answers())
            self.session.remove(self.form)
            self.session.flush()
        if self.result is _CANCELLED:
            return None
        if self.single:
            return self.result[self.order[0]]
        return self.result

    def _shown_answers(self) -> list[tuple[str, str]]:
        """Each field's label and answer as a saved copy shows it (a password never)."""
        values = dict(self.result or {})
        shown: list[tuple[str, str]] = []
        for name in self.order:
            spec = self.fields[name].spec
            if spec.get("type") != "field" or name not in values:
                continue
            value = values[name]
            field = self.fields[name]
            if spec.get("input") == "password":
                text = "••••••"
            elif field.values:  # options or buttons: the labels the visitor saw, never values
                chosen = (
                    value if isinstance(value, list) and spec.get("input") != "actions" else [value]
                )
                text = ", ".join(_label_of(field, item) for item in chosen)
            elif isinstance(value, dict) and "filename" in value:
                text = str(value["filename"])
            elif isinstance(value, list):
                text = ", ".join(
                    str(v["filename"]) if isinstance(v, dict) and "filename" in v else str(v)
                    for v in value
                )
            else:
                text = "" if value is None else str(value)
            shown.append((str(spec.get("label") or name), text))
        return shown

    def abandon(self, error: BaseException) -> None:
        """The wait ended without an answer (interrupt, error): disable the form."""
        self._stop()
        if self.form is None:
            return
        status = "interrupted" if isinstance(error, KeyboardInterrupt) else "closed"
        try:
            self.session.update_node(self.form, {"disabled": True, "status": status})
            self.session.flush()
        except SessionException:
            pass  # the page is gone: there is no form left to disable
        except Exception:
            self.session.log_limit.exception("pywebio_nb: could not disable an abandoned form")

    def _stop(self) -> None:
        if self.form is not None:
            self.session.remove_event_sink(self.form.id)
        self.uploads.discard()

    # -- events -------------------------------------------------------------------------------

    def _handle_item(self, item: tuple[Any, list[Any]]) -> bool:
        return self.handle(*item)

    def handle(self, content: Any, buffers: list[Any]) -> bool:
        """Handle one browser event; True when the form is answered."""
        event = content.get("event") if isinstance(content, dict) else None
        name = content.get("name") if isinstance(content, dict) else None
        try:
            if event == "submit":
                return self._submit(content.get("values"))
            if event == "cancel":
                if not self.cancelable:
                    raise FieldError(MALFORMED)
                self.result = _CANCELLED
                return True
            field = self.fields.get(name) if isinstance(name, str) else None
            if field is None:
                raise FieldError(MALFORMED)
            if event == "blur":
                self._blur(field, content.get("value"))
            elif event == "change":
                self._change(field, content.get("value"))
            elif event == "action" and field.action is not None:
                self._action(field)
            elif event == "chunk" and field.kind == "file":
                self._chunk(field, content, buffers)
            else:
                raise FieldError(MALFORMED)
        except FieldError as error:
            self._form_error(str(error))
        return False

    def _form_error(self, message: str) -> None:
        self.session.log_limit.warning("pywebio_nb: rejected a form event: %s", message)
        assert self.form is not None
        self.session.update_node(self.form, {"error": message})

    def _set_invalid(self, name: str, message: str | None) -> None:
        out = self.outputs[name]
        if out.spec.get("invalid") != message or message is not None:
            self.session.update_node(out, {"invalid": message})

    def _check(self, field: Field, value: Any) -> str | None:
        if field.validate is None:
            return None
        try:
            error = field.validate(value)
        except Exception as exc:
            self.session.log_limit.exception(
                "pywebio_nb: validate() of field %r raised", field.name
            )
            return f"{INVALID}: {exc}"
        return None if error is None else str(error)

    def _blur(self, field: Field, raw: Any) -> None:
        name = field.name or ""
        if name in self.presets:
            return
        try:
            message = self._check(field, field.convert(raw))
        except FieldError as error:
            message = str(error)
        self._set_invalid(name, message)

    def _change(self, field: Field, raw: Any) -> None:
        if field.onchange is None:
            return
        try:
            value = field.convert(raw)
        except FieldError:
            return  # half-typed input; the error shows on blur and submit
        self._remember(field, raw)
        with _Target(self, field.name or ""):
            field.onchange(value)

    def _action(self, field: Field) -> None:
        name = field.name or ""

        def set_value(value: Any, label: Any = None) -> None:
            if label is None:
                self.presets.pop(name, None)
                self.update(name, {"value": value, "readonly": self.readonly.get(name)})
            else:
                self.presets[name] = value
                self.update(name, {"value": str(label), "readonly": True})

        assert field.action is not None
        with _Target(self, name):
            field.action(set_value)

    def _chunk(self, field: Field, content: dict[str, Any], buffers: list[Any]) -> None:
        name = field.name or ""
        try:
            received = self.uploads.add_chunk(field, content, buffers)
        except FieldError as error:
            self.session.update_node(self.outputs[name], {"invalid": str(error), "progress": None})
            self.session.flush()
            return
        if received < 0:
            return
        self.session.update_node(self.outputs[name], {"progress": received})
        self.session.flush()

    def _remember(self, field: Field, raw: Any) -> None:
        """Keep what the user entered in the spec, so a reloaded page shows it."""
        if isinstance(raw, str) and field.kind not in ("file", "actions"):
            field.spec["value"] = raw

    def _submit(self, values: Any) -> bool:
        if not isinstance(values, dict):
            raise FieldError(MALFORMED)
        data: dict[str, Any] = {}
        errors: dict[str, str | None] = {}
        cancelled = False
        for name in self.order:
            field = self.fields[name]
            raw = values.get(name)
            try:
                if name in self.presets:
                    value = self.presets[name]
                elif field.kind == "file":
                    value = self.uploads.result(field, raw)
                elif field.kind == "actions":
                    if raw is None and not self.single and name not in values:
                        value = None  # submitted by the form's own Submit button
                    else:
                        index = field._index(raw, field.spec.get("buttons", []))
                        if field.spec["buttons"][index]["type"] == "cancel":
                            cancelled = True
                        value = field.values[index]
                else:
                    self._remember(field, raw)
                    value = field.convert(raw)
                errors[name] = self._check(field, value)
                data[name] = value
            except FieldError as error:
                errors[name] = str(error)
        if cancelled:
            self.result = _CANCELLED
            return True
        if not any(errors.values()) and self.validate is not None:
            try:
                verdict = self.validate(data)
            except Exception as exc:
                self.session.log_limit.exception("pywebio_nb: the input_group validate() raised")
                raise FieldError(f"{INVALID}: {exc}") from None
            if verdict is not None:
                bad, message = _group_verdict(verdict, self.order, self.session.log_limit)
                errors[bad] = message
        for name in self.order:
            if errors.get(name) or self.outputs[name].spec.get("invalid"):
                self._set_invalid(name, errors.get(name))
        if any(errors.values()):
            if self.form is not None and self.form.spec.get("error"):
                self.session.update_node(self.form, {"error": None})
            return False
        self.result = data
        return True

    # -- input_update -------------------------------------------------------------------------

    def update(self, name: str, changes: dict[str, Any]) -> None:
        """Change attributes of one field of this form (``input_update``)."""
        field = self.fields.get(name)
        if field is None:
            raise ValueError(f"input_update(): this form has no field named {name!r}")
        attrs = field.browser_attrs(changes, "input_update")
        self.session.update_node(self.outputs[name], attrs)


def _group_verdict(verdict: Any, names: list[str], limit: LogLimit) -> tuple[str, str]:
    if (
        isinstance(verdict, (tuple, list))
        and len(verdict) == 2
        and isinstance(verdict[0], str)
        and verdict[0] in names
    ):
        return verdict[0], str(verdict[1])
    limit.warning("pywebio_nb: input_group validate() must return (name, message), got %r", verdict)
    return names[0], str(verdict)


class _Target:
    """Context of an ``onchange``/``action`` callback, for :func:`input_update`."""

    def __init__(self, run: FormRun, name: str) -> None:
        self.run, self.name = run, name

    def __enter__(self) -> None:
        self.token = _update_target.set((self.run, self.name))

    def __exit__(self, *exc: object) -> None:
        _update_target.reset(self.token)
        self.run.session.flush()


def input_update(name: str | None = None, **spec: Any) -> None:
    """Change a field of the form that is waiting, from inside its ``onchange`` callback.

    Args:
        name: the field to change; defaults to the field whose ``onchange`` is running.
        **spec: new values of the field's arguments: ``label``, ``value``, ``placeholder``,
            ``help_text``, ``options`` (re-parsed), ``readonly``, ``required``,
            ``min_value`` / ``max_value``... These cannot change: ``action``, ``buttons``,
            ``code``, ``inline``, ``max_size``, ``max_total_size``, ``multiple``, ``name``,
            ``onchange``, ``type``, ``validate``.

    Raises:
        RuntimeError: called outside an ``onchange`` (or ``action``) callback.

    Example:
        >>> def on_country(country):  # doctest: +SKIP
        ...     input_update("city", options=CITIES[country])
        >>> input_group("Where?", [  # doctest: +SKIP
        ...     select("Country", list(CITIES), name="country", onchange=on_country),
        ...     select("City", CITIES["France"], name="city"),
        ... ])
    """
    target = _update_target.get()
    if target is None:
        raise RuntimeError(
            "input_update() can only be called from the onchange callback of a waiting form"
        )
    run, current = target
    if name is not None and not isinstance(name, str):
        raise TypeError(f"input_update(): name must be a str, got {name!r:.80}")
    run.update(current if name is None else name, spec)


def _label_of(field: Field, value: Any) -> str:
    """The label of the option (or button) of ``field`` whose Python value is ``value``.

    Python keeps option values (the browser has only labels and indexes), so a saved answer
    shows the label, as the visitor saw it; an unknown value shows as nothing.
    """
    items = field.spec.get("options") or field.spec.get("buttons") or []
    for item, option in zip(items, field.values, strict=False):
        if option is value:
            return str(item.get("label", ""))
    for item, option in zip(items, field.values, strict=False):
        try:
            if bool(option == value):
                return str(item.get("label", ""))
        except Exception:  # a value whose == is not a plain bool (an array...)
            continue
    return ""
