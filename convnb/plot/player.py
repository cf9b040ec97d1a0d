"""A self-contained, light HTML player for an animation."""

from __future__ import annotations

import base64
import io
import re

_FRAME = re.compile(r"data:image/png;base64,([^\"]*)")


_CDN_LINK = re.compile(r"<link[^>]*font-awesome[^>]*>", re.S)


_ICON = re.compile(r'<i class="fa fa-([a-z-]+)( fa-flip-horizontal)?"></i>')


_GLYPHS = {
    "minus": "\u2212",
    "plus": "+",
    "fast-backward": "|\u25c0\u25c0",
    "step-backward": "|\u25c0",
    "play reversed": "\u25c0",
    "pause": "\u275a\u275a",
    "play": "\u25b6",
    "step-forward": "\u25b6|",
    "fast-forward": "\u25b6\u25b6|",
}


def player(anim, *, colors: int = 48) -> str:
    """A self-contained HTML player for ``anim``: ``anim.to_jshtml()``, lighter and offline.

    Every frame is re-encoded as a PNG with a palette of ``colors`` colours (the book's
    pictures use a handful), which makes a page about 3 times lighter than matplotlib's
    full-colour frames with no visible change, and the buttons' icons, which matplotlib
    loads from a CDN, become plain characters. The player needs no kernel and no network.

    Examples
    --------
    >>> from convnb.plot import animate
    >>> html = player(animate(3, 2))
    >>> html.count("data:image/png;base64,")  # one frame per output of a 2x2 result
    4
    >>> "http" in html
    False
    """
    from PIL import Image  # matplotlib depends on Pillow

    def lighter(match):
        raw = base64.b64decode(match.group(1).replace("\\\n", ""))
        image = Image.open(io.BytesIO(raw)).convert("RGB")
        image = image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    def glyph(match):
        name = match.group(1) + (" reversed" if match.group(2) else "")
        return f"<span>{_GLYPHS.get(name, name)}</span>"

    html = _FRAME.sub(lighter, anim.to_jshtml())
    return _ICON.sub(glyph, _CDN_LINK.sub("", html))
