"""Units in one place: the engine works in PostScript points (pt) for page geometry and in
em (the font size) inside the composer."""

MM = 72.0 / 25.4  # points per millimetre


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * MM


def to_mm(points: float) -> float:
    return points / MM


def em(count: float, size: float) -> float:
    """`count` ems of a font at `size` pt, in points."""
    return count * size
