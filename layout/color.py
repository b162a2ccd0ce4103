"""CMYK colours. Print output is CMYK only; every colour in the engine is one of these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class CMYK:
    """Ink percentages 0..100 for cyan, magenta, yellow and black."""

    c: float = 0.0
    m: float = 0.0
    y: float = 0.0
    k: float = 0.0

    @property
    def total(self) -> float:
        """Total area coverage in percent."""
        return self.c + self.m + self.y + self.k

    @property
    def inks(self) -> int:
        """How many process plates this colour prints on."""
        return sum(1 for v in (self.c, self.m, self.y, self.k) if v > 0)

    @property
    def is_k_only(self) -> bool:
        return self.c == 0 and self.m == 0 and self.y == 0

    @property
    def is_white(self) -> bool:
        return self.total == 0

    def fractions(self) -> tuple[float, float, float, float]:
        return (self.c / 100, self.m / 100, self.y / 100, self.k / 100)

    @classmethod
    def parse(cls, value: object) -> CMYK:
        """From a list [c, m, y, k] or one of the named colours."""
        if isinstance(value, str):
            if value not in NAMED:
                raise ValueError(f"unknown colour {value!r}; known: {', '.join(sorted(NAMED))}")
            return NAMED[value]
        if isinstance(value, (list, tuple)) and len(value) == 4 and all(
            isinstance(v, (int, float)) and 0 <= v <= 100 for v in value
        ):
            return cls(*(float(v) for v in value))
        raise ValueError("a colour is a name or a list of four ink percentages [c, m, y, k], each 0..100")


BLACK = CMYK(0, 0, 0, 100)
WHITE = CMYK(0, 0, 0, 0)
NAMED = {
    "black": BLACK,
    "white": WHITE,
    "red": CMYK(0, 100, 100, 0),  # the masthead red of a Chinese daily
    "grey10": CMYK(0, 0, 0, 10),
    "grey20": CMYK(0, 0, 0, 20),
    "grey50": CMYK(0, 0, 0, 50),
    "tint-red": CMYK(0, 12, 12, 0),
    "tint-blue": CMYK(15, 5, 0, 0),
}
