"""Files and navigation: ``download``, ``put_link(app=...)`` and ``go_app``."""

from pywebio_nb.output import put_buttons, put_link, put_markdown, put_table
from pywebio_nb.platform import config
from pywebio_nb.session import download

ROWS = [["Region", "Sales"], ["North", 120], ["South", 95], ["West", 143]]


@config(theme="dark")
def main():
    """Sales report

    A dark page with a table and a CSV download.
    """
    put_markdown("# Sales report")
    put_table(ROWS)
    csv = "\n".join(",".join(str(cell) for cell in row) for row in ROWS).encode()
    put_buttons(["Download CSV"], onclick=lambda _v: download("sales.csv", csv))
    put_link("Back to the hello app", url="./hello")
