"""A form app: ``input()`` blocks the session's thread until the visitor submits.

Open <jupyter base_url>/webio/apps/bmi (or run ``pywebio-nb serve notebooks/apps``).
"""

from pywebio_nb.input import FLOAT, input_group
from pywebio_nb.input import input as ask
from pywebio_nb.output import put_markdown, put_table

CATEGORIES = [
    (16, "Severely underweight"),
    (18.5, "Underweight"),
    (25, "Normal"),
    (30, "Overweight"),
    (35, "Moderately obese"),
    (float("inf"), "Severely obese"),
]


def main():
    """Body mass index

    Asks for height and weight, then shows the BMI and its category.
    """
    put_markdown("# Body mass index")
    data = input_group(
        "Your measurements",
        [
            ask(
                "Height (cm)",
                name="height",
                type=FLOAT,
                required=True,
                validate=lambda v: None if 50 <= v <= 250 else "between 50 and 250 cm",
            ),
            ask(
                "Weight (kg)",
                name="weight",
                type=FLOAT,
                required=True,
                validate=lambda v: None if 10 <= v <= 400 else "between 10 and 400 kg",
            ),
        ],
    )
    bmi = data["weight"] / (data["height"] / 100) ** 2
    category = next(label for limit, label in CATEGORIES if bmi < limit)
    put_table([["BMI", "Category"], [f"{bmi:.1f}", category]])
