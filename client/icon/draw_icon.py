"""Draws the extension's icon: the event loop as a ring with its arrow, kept turning by a task that
yields (the play mark), on a rounded square. Written with the standard library only, so the build
needs nothing else:

    python client/icon/draw_icon.py OUT.png [SIZE]
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path
from typing import Callable

Colour = tuple[int, int, int]
Shape = Callable[[float, float], bool]  # is a point (in units of a 1 x 1 icon) inside?

_SAMPLES = 4  # per axis and pixel: anti-aliasing by supersampling
_BACKGROUND_TOP: Colour = (24, 52, 88)
_BACKGROUND_BOTTOM: Colour = (36, 92, 122)
_RING: Colour = (127, 209, 255)
_MARK: Colour = (255, 212, 59)


def _rounded_square(x: float, y: float, radius: float = 0.19) -> bool:
    nearest_x = min(max(x, radius), 1 - radius)
    nearest_y = min(max(y, radius), 1 - radius)
    return (x - nearest_x) ** 2 + (y - nearest_y) ** 2 <= radius**2


def _ring_arc(x: float, y: float) -> bool:
    """A ring around the centre, open for 70 degrees at the top right where its arrow points."""
    distance = math.hypot(x - 0.5, y - 0.5)
    if not 0.245 <= distance <= 0.325:
        return False
    angle = math.degrees(math.atan2(0.5 - y, x - 0.5)) % 360  # counter-clockwise from east
    return not 20 <= angle <= 90


def _polygon(points: list[tuple[float, float]]) -> Shape:
    def inside(x: float, y: float) -> bool:
        crossings = False
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings = not crossings
        return crossings

    return inside


def _arrow_head() -> Shape:
    """A triangle at the ring's end (90 degrees, the top), pointing clockwise."""
    centre_radius, half_width = 0.285, 0.085
    tip = (0.5 + 0.12, 0.5 - centre_radius)
    return _polygon([(0.5, 0.5 - centre_radius - half_width), tip, (0.5, 0.5 - centre_radius + half_width)])


_PLAY_MARK = _polygon([(0.43, 0.38), (0.62, 0.5), (0.43, 0.62)])


def render(size: int) -> list[bytearray]:
    """RGBA rows of the icon at `size` x `size` pixels."""
    arrow = _arrow_head()
    layers: list[tuple[Shape, Colour | None]] = [
        (_rounded_square, None),  # None: the background gradient
        (_ring_arc, _RING),
        (arrow, _RING),
        (_PLAY_MARK, _MARK),
    ]
    rows = []
    for row in range(size):
        pixels = bytearray()
        for column in range(size):
            red = green = blue = covered = 0.0
            for sample_row in range(_SAMPLES):
                for sample_column in range(_SAMPLES):
                    x = (column + (sample_column + 0.5) / _SAMPLES) / size
                    y = (row + (sample_row + 0.5) / _SAMPLES) / size
                    colour = None
                    for shape, fill in layers:
                        if shape(x, y):
                            colour = fill or _gradient(y)
                    if colour is not None:
                        red, green, blue, covered = red + colour[0], green + colour[1], blue + colour[2], covered + 1
            alpha = covered / _SAMPLES**2
            if covered:
                pixels += bytes((round(red / covered), round(green / covered), round(blue / covered), round(255 * alpha)))
            else:
                pixels += bytes(4)
        rows.append(pixels)
    return rows


def _gradient(y: float) -> Colour:
    return tuple(round(top + (bottom - top) * y) for top, bottom in zip(_BACKGROUND_TOP, _BACKGROUND_BOTTOM))  # type: ignore[return-value]


def png(rows: list[bytearray]) -> bytes:
    height, width = len(rows), len(rows[0]) // 4

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    destination = Path(sys.argv[1])
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(png(render(int(sys.argv[2]) if len(sys.argv) > 2 else 128)))
