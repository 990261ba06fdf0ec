"""The two kinds of standalone app session (PyWebIO's): thread apps and coroutine apps.

* :class:`ThreadSession` — a plain function runs in its own thread; callbacks run one after another
  in a per-session worker thread; blocking calls block that thread until the IOLoop feeds it the
  browser's answer, or raise ``SessionClosedException`` when the page closes.
* :class:`CoroutineSession` — an ``async def`` app runs as a task on the server's event loop;
  callbacks run on the loop; blocking calls are awaited; output is flushed with ``call_soon``.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import inspect
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from ..._core.context import session_var as _session_var
from ..._core.context import stack_var as _stack_var
from ..._core.document import Root
from ..._core.flusher import flusher as _flusher
from ..._core.kinds import CoroutineBasedSession, ThreadBasedSession
from ...exceptions import SessionClosedException, SessionException
from .session import AppSession, _on_loop

__all__ = ["CoroutineSession", "ThreadSession"]


class ThreadSession(AppSession, ThreadBasedSession):
    """A plain-function app: its own thread, plus a worker thread for callbacks."""

    def __init__(self, app: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self._callbacks: collections.deque[tuple[Root, Callable[[Any], Any], Any] | None] = (
            collections.deque()
        )
        self._worker_wakeup = threading.Condition(threading.Lock())
        self._worker: threading.Thread | None = None
        self.threads: set[threading.Thread] = set()
        self._main_thread: threading.Thread | None = None

    def start(self) -> None:
        """Run ``main()`` in a new thread."""
        self._main_thread = self.spawn(self._run_main, "main")

    def spawn(self, target: Callable[[], None], name: str) -> threading.Thread:
        """Start a thread that runs ``target`` as part of this session."""
        thread = threading.Thread(
            target=self._in_session, args=(target,), name=f"pywebio_nb-{name}", daemon=True
        )
        self.threads.add(thread)
        thread.start()
        return thread

    def _in_session(self, target: Callable[[], None]) -> None:
        _session_var.set(self)
        try:
            target()
        finally:
            self.threads.discard(threading.current_thread())

    def adopt_thread(self, thread: threading.Thread) -> None:
        """Make ``thread`` (not started yet) run inside this session (``register_thread``)."""
        if thread.is_alive() or thread.ident is not None:
            raise ValueError(f"register_thread(): {thread!r} was already started")
        original_run = thread.run
        # Counted from now on, started or not: PyWebIO keeps the session open until registered
        # threads finish, also one that main() starts just before returning.
        self.threads.add(thread)

        def run() -> None:
            _session_var.set(self)
            try:
                original_run()
            except SessionClosedException:
                pass
            finally:
                self.threads.discard(thread)
                self._maybe_finish()

        thread.run = run  # type: ignore[method-assign]

    def _maybe_finish(self) -> None:
        if self.main_done and not self.is_closed and not self.keep_alive():
            # The thread's last output is still queued: send it before the page is told.
            with contextlib.suppress(SessionException):
                self.flush()
            self.end("the app finished")

    def keep_alive(self) -> bool:
        """Stay open while callbacks exist or registered threads run or are yet to start."""
        me = threading.current_thread()
        return bool(self.callbacks) or any(
            t is not me and (t.is_alive() or t.ident is None) for t in list(self.threads)
        )

    def _run_main(self) -> None:
        try:
            self.app()
        except SessionException:
            pass
        except Exception as error:
            self.report_error(error)
        if not self.is_closed:
            self.finish_main()

    def schedule_callback(self, root: Root, callback: Callable[[Any], Any], value: Any) -> None:
        """Queue the callback for the session's worker thread (started on first use)."""
        with self._worker_wakeup:
            self._callbacks.append((root, callback, value))
            self._worker_wakeup.notify()
            if self._worker is None:
                self._worker = self.spawn(self._work, "callbacks")

    def _work(self) -> None:
        while True:
            with self._worker_wakeup:
                self._worker_wakeup.wait_for(lambda: bool(self._callbacks))
                item = self._callbacks.popleft()
            if item is None:
                return
            _root, callback, value = item
            token = _stack_var.set(())
            try:
                result = callback(value)
                if inspect.isawaitable(result):  # an async def callback: run on this thread
                    asyncio.run(_awaited(result))
            except SessionException:
                pass
            except Exception as error:
                self.report_error(error)
            finally:
                _stack_var.reset(token)
            if not self.is_closed:
                with contextlib.suppress(SessionException):
                    self.flush()

    def stop_tasks(self) -> None:
        """Stop the worker and run the deferred functions in a short-lived thread."""
        with self._worker_wakeup:
            self._callbacks.clear()
            self._callbacks.append(None)
            self._worker_wakeup.notify()
        if self._deferred:
            threading.Thread(
                target=self._run_deferred_after_main, name="pywebio_nb-defer", daemon=True
            ).start()

    def _run_deferred_after_main(self) -> None:
        # Let the app's own handlers (except/finally around a waiting call) run first, so
        # deferred functions see the app finished; a stuck app delays them by 5 s at most.
        main = self._main_thread
        if main is not None and main is not threading.current_thread():
            main.join(timeout=5)
        self.run_deferred()


class CoroutineSession(AppSession, CoroutineBasedSession):
    """An ``async def`` app: a task on the server's event loop; callbacks run on the loop."""

    is_coroutine = True

    def __init__(self, app: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.tasks: set[asyncio.Task[Any]] = set()
        self._context = contextvars.copy_context()
        self._context.run(_session_var.set, self)

    def _mark_dirty(self, root: Root) -> None:
        if self.is_closed and self._is_own_task():
            raise SessionClosedException("the page was closed")
        self._dirty.add(root)
        if not self._flush_requested:
            self._flush_requested = True
            if _on_loop(self.loop):
                self.loop.call_soon(self._flush_soon)
            else:
                _flusher.request(self)

    def blocking_allowed(self) -> bool:
        """On the loop, an un-awaited ``input()`` returns a coroutine (PyWebIO's rule)."""
        return not _on_loop(self.loop)

    def _flush_soon(self) -> None:
        try:
            self.flush()
        except Exception:
            self.log_exception("flushing output failed")

    def start(self) -> None:
        """Run ``main()`` as a task on the loop."""
        self.create_task(self._run_main())

    def create_task(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a coroutine inside this session (PyWebIO's ``run_async``)."""
        if self.is_closed:
            raise SessionClosedException("the page was closed")
        task: asyncio.Task[Any] = self._context.copy().run(
            self.loop.create_task,
            _guarded(self, coro),
        )
        self.tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if self.main_done and not self.is_closed and not self.keep_alive():
            self.end("the app finished")

    async def _run_main(self) -> None:
        result = self.app()
        if asyncio.iscoroutine(result):
            await result
        if not self.is_closed:
            self.finish_main()

    def keep_alive(self) -> bool:
        """Stay open while callbacks exist or other tasks still run."""
        current = asyncio.current_task(self.loop) if _on_loop(self.loop) else None
        return bool(self.callbacks) or any(t is not current for t in self.tasks)

    def schedule_callback(self, root: Root, callback: Callable[[Any], Any], value: Any) -> None:
        """Run a callback on the loop; a coroutine it returns becomes a session task."""
        context = self._context.copy()
        context.run(_stack_var.set, ())
        try:
            result = context.run(callback, value)
        except SessionException:
            return
        except Exception as error:
            self.report_error(error)
            return
        if inspect.isawaitable(result):
            self.await_callback(root, result)

    def await_callback(self, root: Root, awaitable: Awaitable[Any]) -> None:
        """Run an ``async def`` callback's coroutine as a task of this session."""
        self.create_task(_awaited(awaitable))

    def hold(self) -> Any:
        """Wait until the page closes, as a coroutine the app awaits."""
        box = self.new_mailbox()

        async def wait() -> None:
            try:
                await self.wait_for_event_async(box)
            except Exception:
                return

        return wait()

    def adopt_thread(self, thread: threading.Thread) -> None:
        """Threads cannot join a coroutine app: its code runs on the event loop."""
        self.unsupported("register_thread", "it works in thread apps; use run_async()")

    def stop_tasks(self) -> None:
        """Cancel what is still running after waiters saw the close, then run deferred calls."""

        def cancel_rest() -> None:
            for task in list(self.tasks):
                task.cancel()
            self.run_deferred()

        def after_waiters_ran() -> None:
            # Woken waiters step first (and may handle SessionClosedException).
            self.loop.call_soon(cancel_rest)

        self.loop.call_soon_threadsafe(after_waiters_ran)


async def _guarded(session: AppSession, coro: Awaitable[Any]) -> Any:
    """Await a session coroutine, showing its errors to the visitor."""
    try:
        return await coro
    except (SessionException, asyncio.CancelledError):
        return None
    except Exception as error:
        session.report_error(error)
        return None


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


if TYPE_CHECKING:  # both kinds satisfy the host interface (checked by mypy)
    from ..._core.host import Host

    _thread_session_is_a_host: type[Host] = ThreadSession
    _coroutine_session_is_a_host: type[Host] = CoroutineSession
