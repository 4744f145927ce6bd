"""Colours the edition can be read in: WCAG contrast, and an accent made readable.

The editor picks one accent colour (`email.accent_color`) for links and buttons.
A mid blue reads well on white and poorly on the dark grey of a mail client's
dark mode (2.75:1 for the default); a yellow reads poorly on white and under
white button text.  So the edition does not use the accent as it is where it
would not reach WCAG AA (4.5:1): it uses the nearest shade that does, mixed
towards white on a dark ground and towards black on a light one, and button
text in whichever of white and near-black reads better on the accent.
"""

from __future__ import annotations

#: WCAG AA for body text.
READABLE = 4.5
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#1f2328"


def _channels(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` or `#rgb` as three numbers 0 to 255."""
    digits = colour.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _hex(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in channels)


def luminance(colour: str) -> float:
    """Relative luminance, as WCAG 2 defines it."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable(colour: str, background: str, minimum: float = READABLE) -> str:
    """`colour`, or the nearest shade of it that reads on `background` at `minimum`:
    mixed towards white on a dark background, towards black on a light one."""
    if contrast(colour, background) >= minimum:
        return _hex(_channels(colour))
    towards = 255 if luminance(background) < 0.18 else 0
    start = _channels(colour)
    for step in range(1, 21):
        share = step / 20
        mixed = _hex(tuple(c + (towards - c) * share for c in start))  # type: ignore[arg-type]
        if contrast(mixed, background) >= minimum:
            return mixed
    return LIGHT_TEXT if towards else "#000000"


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    if contrast(LIGHT_TEXT, background) >= contrast(DARK_TEXT, background):
        return LIGHT_TEXT
    return DARK_TEXT
