"""The client's own look in the portal: a validated colour with text that stays readable on it."""

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_BAR = "#14213d"  # Steward's own top bar


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def bar_colours(brand_color: str | None) -> tuple[str, str]:
    """(background, text) for the top bar; text is black or white, whichever contrasts more.

    Either black or white reaches at least 4.58:1 on any background, so the bar always passes WCAG AA.
    Anything but a plain #rrggbb value (it lands in a style attribute) falls back to Steward's colour.
    """
    background = brand_color.lower() if brand_color and HEX_COLOUR.match(brand_color) else DEFAULT_BAR
    text = "#ffffff" if contrast(background, "#ffffff") >= contrast(background, "#000000") else "#000000"
    return background, text
