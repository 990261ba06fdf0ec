"""A thread app: plain functions, blocking calls, a button callback.

Open <jupyter base_url>/webio/apps/hello (or run ``pywebio-nb serve notebooks/apps``).
"""

from pywebio_nb.output import put_buttons, put_markdown, put_text
from pywebio_nb.session import eval_js, info, set_env


def main():
    """Hello

    A thread app: output, eval_js and a button.
    """
    set_env(output_max_width="720px")
    put_markdown("# Hello from a thread app")
    width = eval_js("window.innerWidth")
    put_text(f"Your window is {width} px wide; your browser is {info.user_agent.browser.family}.")
    clicks = []

    def on_click(label):
        clicks.append(label)
        put_text(f"{label} clicked ({len(clicks)} clicks so far)")

    put_buttons(["Say hi", "Say bye"], onclick=on_click)
