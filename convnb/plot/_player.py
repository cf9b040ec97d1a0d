"""Animations, and a self-contained, light HTML player for them: SVG frames, a few buttons."""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.animation import AbstractMovieWriter, FuncAnimation

from ._style import _RC, svg_text

if TYPE_CHECKING:
    import matplotlib.animation

# The player's script: one image whose source is swapped; plays while on screen, unless the
# reader asked for reduced motion. Every player on a page carries its own copy (1 KB).
_SCRIPT = """
(function () {
  var root = document.currentScript.parentElement;
  var frames = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var img = root.querySelector("img"), range = root.querySelector("input");
  var count = root.querySelector(".convnb-player-count");
  var play = root.querySelector("button[title='Play']");
  var alts = JSON.parse(root.getAttribute("data-alts"));
  var at = 0, timer = null, delay = +root.getAttribute("data-interval");
  function show(i) {
    at = (i + frames.length) % frames.length;
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(frames[at]);
    img.alt = alts[at];
    range.value = at;
    count.textContent = (at + 1) + " / " + frames.length;
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = "\\u25b6 play"; }
  function start() {
    if (timer) return;
    timer = setInterval(function () { show(at + 1); }, delay);
    play.textContent = "\\u275a\\u275a pause";
  }
  function button(title, step) {
    root.querySelector("button[title='" + title + "']").onclick = function () {
      stop(); show(at + step);
    };
  }
  button("Previous frame", -1);
  button("Next frame", 1);
  play.onclick = function () { timer ? stop() : start(); };
  range.oninput = function () { stop(); show(+range.value); };
  show(0);
  var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (!calm && "IntersectionObserver" in window) {
    new IntersectionObserver(function (seen) {
      seen[0].isIntersecting ? start() : stop();
    }).observe(img);
  }
})();
"""

_STYLE = (
    ".convnb-player{margin:0.5em 0;max-width:100%}"
    ".convnb-player img{display:block;width:100%;height:auto}"
    ".convnb-player-controls{display:flex;flex-wrap:wrap;align-items:center;gap:6px;"
    "margin-top:4px;font-size:16px}"
    ".convnb-player button{font-size:16px;min-height:36px;min-width:44px;padding:2px 10px;"
    "border:1px solid #888;border-radius:6px;background:#f4f4f4;color:#222;cursor:pointer}"
    ".convnb-player input{flex:1 1 120px;min-width:100px}"
)


def _animation(draw, frames, interval, dpi=None):
    """``draw(i, ax=ax)`` for ``i`` in ``range(frames)``, on the axes ``draw(0)`` made (at
    ``dpi``, if given); the figure is closed, so a notebook shows only the animation."""
    ax = draw(0)
    fig = ax.figure
    anim = FuncAnimation(fig, lambda i: draw(i, ax=ax), frames=frames, interval=interval)
    plt.close(fig)  # (closing resets the dpi, so set it afterwards)
    if dpi is not None:
        fig.set_dpi(dpi)
    return anim


class _SvgFrames(AbstractMovieWriter):
    """A movie writer that keeps every frame as an SVG document."""

    def __init__(self):
        super().__init__()
        self.frames: list[str] = []
        self.titles: list[str] = []

    def setup(self, fig, outfile, dpi=None):
        self.fig = fig

    def grab_frame(self, **savefig_kwargs):
        self.frames.append(svg_text(self.fig))
        texts = [t.get_text() for t in self.fig.texts] + [
            ax.get_title() for ax in self.fig.axes if ax.get_title()
        ]
        self.titles.append(" ".join(t.replace("\n", " ") for t in texts if t))

    def finish(self):
        pass


def svg_frames(anim: matplotlib.animation.Animation) -> tuple[list[str], list[str]]:
    """Every frame of ``anim`` as an SVG document, and the titles shown on each frame.

    Text stays text (:func:`book_style`'s settings), so its size can be read from the SVG.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        The animation to render, for example from :func:`animate`; every frame is drawn
        once.

    Returns
    -------
    frames, titles : list of str
        One entry per frame, in order.

    Examples
    --------
    >>> from convnb.plot import animate
    >>> frames, titles = svg_frames(animate(3, 2))
    >>> len(frames), frames[0].startswith("<svg")
    (4, True)
    """
    writer = _SvgFrames()
    with matplotlib.rc_context(_RC):
        anim.save("frames.svg", writer=writer)
    return writer.frames, writer.titles


def player(
    anim: matplotlib.animation.Animation, *, alt: str = "", interval: int | None = None
) -> str:
    """A self-contained HTML player for ``anim``: crisp, light, readable on a phone.

    Each frame is an SVG image (sharp on any screen, its text kept as text); one ``img``
    shows them in turn. The controls are plain buttons and a slider, large enough for a
    finger; the player plays while it is on screen (unless the reader's system asks for
    reduced motion) and stops when a button is used. Every frame's ``alt`` text is ``alt``
    followed by what that frame's title says. No kernel, no network, no CDN.

    Parameters
    ----------
    anim : matplotlib.animation.Animation
        The animation to play, for example from :func:`animate`.
    alt : str, optional
        What the animation shows, for readers who cannot see it.
    interval : int, optional
        Milliseconds per frame; by default the animation's own interval.

    Returns
    -------
    str
        HTML, for ``IPython.display.HTML``.

    Examples
    --------
    >>> from convnb.plot import animate
    >>> html = player(animate(3, 2), alt="A 2x2 kernel sweeps a 3x3 input.")
    >>> html.count("<svg")  # one SVG frame per output of a 2x2 result
    4
    >>> "http://" in html.replace("http://www.w3.org", "")
    False
    """
    frames, titles = svg_frames(anim)
    delay = int(interval if interval is not None else getattr(anim, "_interval", 600))
    alts = [
        f"{alt} Frame {i + 1} of {len(frames)}: {title}".strip() for i, title in enumerate(titles)
    ]
    payload = json.dumps(frames).replace("</", "<\\/")
    width = re.search(r'width="([\d.]+)pt"', frames[0])
    css_width = round(float(width.group(1)) * 4 / 3) if width else 600
    return (
        f"<style>{_STYLE}</style>"
        f'<div class="animation convnb-player" data-convnb-player data-interval="{delay}" '
        f"data-alts='{html.escape(json.dumps(alts), quote=True)}' "
        f'style="width:{css_width}px">'
        f'<img alt="{html.escape(alts[0], quote=True)}" width="{css_width}">'
        '<div class="convnb-player-controls">'
        '<button type="button" title="Previous frame" aria-label="previous frame">\u25c0</button>'
        '<button type="button" title="Play" aria-label="play or pause">\u25b6 play</button>'
        '<button type="button" title="Next frame" aria-label="next frame">\u25b6</button>'
        f'<input type="range" min="0" max="{len(frames) - 1}" value="0" aria-label="frame">'
        f'<span class="convnb-player-count">1 / {len(frames)}</span>'
        "</div>"
        f'<script type="application/json">{payload}</script>'
        f"<script>{_SCRIPT}</script>"
        "</div>"
    )
